// A link to a competency (the feed's mastery news) opens its domain's folded list, in browsers that do not
// open a <details> for the link's target by themselves, and brings the competency into view.
(function () {
  "use strict";
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var folded = target && target.closest("details");
    if (!folded) return;
    folded.open = true;
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
