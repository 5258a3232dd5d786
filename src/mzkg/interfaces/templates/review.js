// The review page's shortcuts: j/k next and previous item, a accept, r reject, f fix, l link, d done;
// a click on the text opens the item of the words clicked.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
  const press = (id) => { const el = document.getElementById(id); if (el) { event.preventDefault(); el.click(); } };
  const focus = (id) => { const el = document.getElementById(id); if (el) { event.preventDefault(); el.focus(); } };
  const keys = { j: () => press("next"), n: () => press("next"), k: () => press("prev"), p: () => press("prev"),
                 a: () => press("accept"), r: () => press("reject"), d: () => press("done"),
                 f: () => focus(document.getElementById("fix-value") ? "fix-value" : "fix-place"), l: () => focus("link-q") };
  if (keys[event.key]) keys[event.key]();
});
document.addEventListener("click", (event) => {
  const span = event.target.closest("#text [data-item]");
  if (span) window.location.search = "?item=" + encodeURIComponent(span.dataset.item);
});
