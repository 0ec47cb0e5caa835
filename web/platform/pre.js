// Page-side setup of emscripten's Module, linked in with --pre-js so that web/shell.html has no
// inline script (its CSP forbids them). Runs before the glue reads Module.

Module['canvas'] = document.getElementById('canvas');

// ImGui cannot draw anything before the first frame, so failures before that (no WebGL 2, a
// failed download, a crash during start-up) are written into the loading text instead.
Module['nnplayFatal'] = function (text) {
  var el = document.getElementById('loading');
  if (el) {
    el.textContent = text;
    el.setAttribute('role', 'alert');
  }
};
Module['onAbort'] = function (what) {
  Module['nnplayFatal']('nnplay stopped: ' + what);
};

Module['canvas'].addEventListener('contextmenu', function (e) { e.preventDefault(); });
// SDL takes keys from the canvas only (SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT), but it cancels
// mousedown, which would stop a click from focusing the canvas: focus it on pointerdown.
Module['canvas'].addEventListener('pointerdown', function () { Module['canvas'].focus(); });
Module['canvas'].addEventListener('webglcontextlost', function (e) {
  e.preventDefault();
  Module['nnplayFatal']('The WebGL context was lost; reload the page.');
});
