// Start GOV.UK Frontend's components. A module script, so it runs only in
// browsers that can run them; without it every page still works.
import { initAll } from "../vendor/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
