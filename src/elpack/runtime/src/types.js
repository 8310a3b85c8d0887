// @ts-check
// Types only. The runtime data mirrors what render.py `runtime_data()` puts in the page's
// <script id="elpack-data">; change the two together.

/**
 * @typedef {object} PageData
 * @property {string} id
 * @property {string} title
 * @property {boolean} branch  a page reached only through a branching choice
 * @property {string | null} previous
 * @property {string | null} next
 */

/**
 * @typedef {"single" | "multiple" | "true-false" | "matching" | "ordering" | "text" | "likert"} QuestionType
 */

/**
 * @typedef {object} QuestionData
 * @property {QuestionType} type
 * @property {string} interaction  the SCORM interaction type ("choice", "true-false", "fill-in", ...)
 * @property {boolean} scored
 * @property {boolean} shuffle  whether the options may be shown in a seeded random order
 * @property {string} pattern  the correct-response pattern (empty for opinion scales)
 * @property {string[]} options  option ids in written order
 * @property {string[]} correct  ids of the right options
 * @property {string[]} accepted  accepted answers of a short-text question
 * @property {Record<string, string>} truth  true-false: option id to "t" or "f"
 */

/**
 * @typedef {object} ChoiceData
 * @property {string} id
 * @property {Record<string, string | null>} targets  option id to the page it leads to
 */

/**
 * @typedef {object} AssessmentData
 * @property {string} id
 * @property {string[]} questions  the pool, in written order
 * @property {number | null} attempts  null: unlimited
 * @property {number} draw  questions drawn per attempt
 * @property {string[][]} [strata]  'draw_by: objective': the questions of each objective
 * @property {"never" | "after_pass" | "always"} showCorrectAnswers  when the results review
 *   shows the right answers to the questions answered wrongly
 */

/**
 * @typedef {object} RuntimeData
 * @property {string} id
 * @property {string} title
 * @property {string} version
 * @property {number} passMark
 * @property {boolean} scored
 * @property {PageData[]} pages
 * @property {Record<string, QuestionData>} questions
 * @property {string[]} checks  knowledge-check question ids, in page order
 * @property {string[]} reflections  reflection ids, in page order
 * @property {number} reflectionLimit  each reflection's share of the saved state, in characters
 * @property {boolean} reflectionsPrivate  reflections stay in this browser, never sent to the LMS
 * @property {ChoiceData[]} choices
 * @property {AssessmentData | null} assessment
 * @property {string} hash  changes when pages, questions or answers change (not wording)
 * @property {string} language  the module's language tag, e.g. "cy"
 * @property {Record<string, string | Record<string, string>>} messages  the interface strings
 *   of runtime/messages.json in that language (a plural one: a text per CLDR category)
 * @property {string[]} [languages]  a bilingual package's languages, in the order of
 *   'languages:' (see language.js); absent in a package of one language
 */

/**
 * A page of the module with its place in the document.
 * @typedef {PageData & { index: number, element: HTMLElement | null }} Page
 */

/**
 * @typedef {object} TestProgress
 * @property {number} attempts
 * @property {string[]} drawn  the ids drawn for the current attempt
 * @property {string} seed
 * @property {string[]} answers  stored answers of the drawn questions ("" unanswered)
 * @property {number} score  -1 before the attempt is submitted
 * @property {number} best  -1 before any attempt is submitted
 * @property {boolean} done
 */

/**
 * What the learner has done; kept in cmi.suspend_data (see state.js).
 * @typedef {object} Progress
 * @property {boolean[]} seen  per page
 * @property {boolean[]} recorded  per recordable item (checks, reflections, choices)
 * @property {string[]} answers  per knowledge check
 * @property {string[]} reflections
 * @property {string[]} choices  the option chosen per branching choice
 * @property {TestProgress | null} test
 * @property {string} seed  orders the options of knowledge checks
 * @property {string} language  a bilingual package: the language the learner chose last ("" none)
 */

/** @typedef {"incomplete" | "completed" | "passed" | "failed"} LessonStatus */

/**
 * The behaviour of one question type, in questions/<type>.js and registered in registry.js.
 * Answers are kept in a compact stored form ("" while unanswered): option ids ("b", "ac"), the
 * partner number of each matching item in base 36, the order of ordering items, or the text.
 * @typedef {object} QuestionBehaviour
 * @property {(fieldset: HTMLElement, question: QuestionData, random: () => number) => void} arrange
 *   puts the options in their seeded order
 * @property {(fieldset: HTMLElement, question: QuestionData) => string} read  the answer on screen
 * @property {(fieldset: HTMLElement, question: QuestionData, answer: string) => void} show
 * @property {(question: QuestionData, answer: string) => boolean | null} isCorrect  null for
 *   questions without a right answer (opinion scales)
 * @property {(question: QuestionData, answer: string) => import("./lms/adapter.js").ResponsePart[]} response
 *   the answer as the LMS records it
 * @property {string} unanswered  what to tell a learner who checks without answering: the key
 *   of its text in runtime/messages.json
 * @property {boolean} explainsEveryItem  all of its option feedback is shown, not only the chosen
 * @property {Record<string, (button: HTMLElement) => void>} [actions]  its buttons' data-action
 * @property {(question: QuestionData, answer: string) => boolean} [fits]  whether a restored
 *   answer (not "") is one this type could have stored; without it: distinct option ids
 * @property {(fieldset: HTMLElement, question: QuestionData) => RightAnswer} [rightAnswer]  the
 *   right answer in words, for the results review; none for opinion scales
 */

/**
 * A question's right answer as the results review shows it.
 * @typedef {object} RightAnswer
 * @property {string} title  the key in runtime/messages.json of its title ("The correct answer:")
 * @property {(string | Node)[]} items  each part in words: an option, an item in its place, a
 *   match (nodes where the words keep their lang: dom.js wordsOf)
 * @property {boolean} ordered  the parts' order matters (a numbered list)
 */

/**
 * The behaviour of one kind of block, in blocks/<type>.js and registered in registry.js.
 * @typedef {object} BlockBehaviour
 * @property {() => void} [setUp]  lays the block out from the (restored) progress, in registry order
 * @property {Record<string, (button: HTMLElement) => void>} [actions]  its buttons' data-action
 * @property {(target: HTMLElement) => void} [changed]  a change event inside the page
 */

export {};
