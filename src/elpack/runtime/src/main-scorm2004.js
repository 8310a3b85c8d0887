// @ts-check
// The entry point of the SCORM 2004 runtime (dist/elpack-scorm2004.js), for the 3rd and 4th
// edition alike.

import { createScorm2004 } from "./lms/scorm2004.js";
import { run } from "./runtime.js";

run(createScorm2004());
