// Typeset maths with the site's own copy of KaTeX.
// Arithmatex wraps Markdown maths in .arithmatex using \( \) and \[ \];
// notebook cells (.jp-RenderedMarkdown) keep Jupyter's $ and $$.
(function () {
  function typeset(root) {
    if (typeof renderMathInElement !== "function") return; // library missing: leave the TeX
    var strict = [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ];
    var jupyter = strict.concat([
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
    ]);
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, { delimiters: strict, throwOnError: false });
    });
    root.querySelectorAll(".jp-RenderedMarkdown").forEach(function (el) {
      renderMathInElement(el, { delimiters: jupyter, throwOnError: false });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function (doc) { typeset(doc.body); }); // instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  }
})();
