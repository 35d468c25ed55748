// A wide table scrolls inside its own box (.table-scroll, issue 16). When it does, the box gets
// keyboard focus and a name (the table's caption), so it can be scrolled without a mouse (WCAG 2.1.1).
(function () {
  function mark() {
    var boxes = document.querySelectorAll('.table-scroll');
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute('tabindex')) {
        var caption = box.querySelector('caption');
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        if (caption && caption.textContent.trim()) box.setAttribute('aria-label', caption.textContent.trim());
      } else if (!scrolls && box.getAttribute('tabindex') === '0') {
        box.removeAttribute('tabindex');
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }
    }
  }
  document.addEventListener('DOMContentLoaded', mark);
  window.addEventListener('resize', mark);
  document.addEventListener('htmx:afterSettle', mark);
})();
