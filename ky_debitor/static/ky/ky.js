/* KY Debitor: start the design system's components. Loaded with `defer`, so the DOM is ready. */
(function () {
  "use strict";
  if (window.DKFDS) {
    window.DKFDS.init();
  }
})();
