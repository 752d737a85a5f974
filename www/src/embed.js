// The docs embed: one module a page adds with
//   <script type="module" src="https://…/embed.js"></script>
// to turn every <pyvet-snippet> into analysed code (embed/snippet.js).

import { PyvetSnippet } from "./embed/snippet.js";

if (!customElements.get("pyvet-snippet")) customElements.define("pyvet-snippet", PyvetSnippet);
