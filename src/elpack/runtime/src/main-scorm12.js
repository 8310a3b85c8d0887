// @ts-check
// The entry point of the SCORM 1.2 runtime (dist/elpack-scorm12.js).

import { createScorm12 } from "./lms/scorm12.js";
import { run } from "./runtime.js";

run(createScorm12());
