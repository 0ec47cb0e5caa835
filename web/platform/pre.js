// Page-side setup of emscripten's Module, linked in with --pre-js so that web/shell.html has no
// inline script (its CSP forbids them). Runs before the glue reads Module.
//
// - The loading screen (#loading in shell.html): a progress bar while the .wasm downloads and
//   compiles (Module.instantiateWasm: a fetch whose body is counted as it streams into
//   WebAssembly.instantiateStreaming), removed by the first frame (platform_sdl_emscripten.cpp).
// - WebAssembly SIMD is detected before anything is downloaded, WebGL 2 while the download
//   starts (it is cancelled without): a browser lacking either gets a plain message naming the
//   browsers that work instead of a broken page.
// - Threads: whether training may use several (a cross-origin isolated page with shared
//   memory) and how many, in Module.nnplayThreadSupport, read by platform/threads.cpp and by
//   the trainer client, which picks the -pthread trainer only then.
// - The touch keyboard relay: an off-screen <input> (#textinput) that is focused while ImGui
//   wants text after a touch, so the phone raises its on-screen keyboard; what is typed into it
//   goes to ImGui through nnplay_text_input / nnplay_key_input (platform_sdl_emscripten.cpp).

Module['canvas'] = document.getElementById('canvas');

// ---- the loading screen -------------------------------------------------------------------

var nnplayLoading = {
  box: document.getElementById('loading'),
  text: document.getElementById('loading-text'),
  bar: document.getElementById('loading-bar'),
};

function nnplaySetLoading(text, fraction) {
  if (nnplayLoading.text) nnplayLoading.text.textContent = text;
  if (!nnplayLoading.bar) return;
  if (fraction === null) {
    nnplayLoading.bar.removeAttribute('value');  // indeterminate: the size is not known
  } else {
    nnplayLoading.bar.value = Math.max(0, Math.min(1, fraction));
  }
}

// ImGui cannot draw anything before the first frame, so failures before that (no WebGL 2, a
// failed download, a crash during start-up) are written into the loading screen instead.
Module['nnplayFatal'] = function (text) {
  var box = nnplayLoading.box;
  if (!box || !box.isConnected) {
    // After the first frame: put the screen back, now as the message.
    box = document.createElement('div');
    box.id = 'loading';
    var p = document.createElement('p');
    p.id = 'loading-text';
    box.appendChild(p);
    document.body.appendChild(box);
    nnplayLoading = { box: box, text: p, bar: null };
  }
  box.classList.add('failed');
  box.setAttribute('role', 'alert');
  if (nnplayLoading.bar) nnplayLoading.bar.remove();
  nnplayLoading.text.textContent = text;
};
Module['onAbort'] = function (what) {
  Module['nnplayFatal']('nnplay stopped: ' + what);
};

// ---- what the browser must have -------------------------------------------------------------

var NNPLAY_BROWSERS = 'It works in recent versions of Chrome, Edge and Firefox, and in Safari 16.4 or later.';

// The smallest module using a SIMD128 instruction (i8x16.splat, i8x16.popcnt), from
// wasm-feature-detect: validate() says whether this engine has fixed-width SIMD.
function nnplayHasSimd() {
  try {
    return WebAssembly.validate(new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
      253, 98, 11,
    ]));
  } catch (e) {
    return false;
  }
}

function nnplayHasWebGL2() {
  try {
    var gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    var lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();  // give the context back: browsers cap how many a page has
    return true;
  } catch (e) {
    return false;
  }
}

function nnplayNeeds(missing) {
  return 'nnplay needs ' + missing.join(' and ') + ', which this browser does not provide. ' + NNPLAY_BROWSERS;
}
Module['nnplayBrowsers'] = NNPLAY_BROWSERS;

// ---- threads ---------------------------------------------------------------------------------

// The threaded trainer (web/trainer, built with -pthread) shares its wasm memory between Web
// Workers, and browsers give SharedArrayBuffer only to a cross-origin isolated page: one
// served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp (README, "Hosting"). Without it the 1-thread trainer runs and nothing errors.
// The pool is sized to the cores the browser reports, at most NNPLAY_MAX_THREADS (the cap of
// platform/threads.h, kMaxTrainingThreads: a small CNN's batch gains little from more).
var NNPLAY_MAX_THREADS = 8;

function nnplayThreadSupport() {
  var isolated = false;
  try {
    isolated = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' &&
               new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch (e) {
    isolated = false;  // no WebAssembly threads: shared memory cannot be made
  }
  var cores = Math.floor(Number(navigator.hardwareConcurrency)) || 1;  // absent in some browsers
  cores = Math.max(1, cores);
  return { isolated: isolated, cores: cores, threads: isolated ? Math.min(cores, NNPLAY_MAX_THREADS) : 1 };
}
Module['nnplayThreadSupport'] = nnplayThreadSupport();
// The threads training runs on, as the trainer reported when it started (trainer_client.cpp);
// 0 until then.
Module['nnplayTrainingThreads'] = 0;

// ---- downloading and compiling the .wasm, with progress -------------------------------------

// A response whose body counts the bytes passing through it.
function nnplayCounted(response, onBytes) {
  if (!response.body || typeof ReadableStream !== 'function') return response;
  var reader = response.body.getReader();
  var stream = new ReadableStream({
    pull: function (controller) {
      return reader.read().then(function (step) {
        if (step.done) {
          controller.close();
          nnplaySetLoading('Compiling…', 0.95);  // streaming compile finishes what is left
          return;
        }
        onBytes(step.value.byteLength);
        controller.enqueue(step.value);
      });
    },
    cancel: function (why) { return reader.cancel(why); },
  });
  return new Response(stream, { status: response.status, headers: { 'Content-Type': 'application/wasm' } });
}

Module['instantiateWasm'] = function (imports, receiveInstance) {
  // Without WebAssembly SIMD nothing is downloaded: the runtime waits for an instance that
  // never comes.
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    Module['nnplayFatal'](nnplayNeeds(['WebAssembly']));
    return {};
  }
  var simd = nnplayHasSimd();
  if (!simd) {
    Module['nnplayFatal'](nnplayNeeds(nnplayHasWebGL2() ? ['WebAssembly SIMD'] : ['WebAssembly SIMD', 'WebGL 2']));
    return {};
  }
  // wasmBinaryFile is the glue's own name for the .wasm (next to index.js).
  var url = typeof wasmBinaryFile === 'string' ? wasmBinaryFile : 'index.wasm';
  nnplaySetLoading('Downloading nnplay…', 0);
  var abort = typeof AbortController === 'function' ? new AbortController() : null;
  var download = fetch(url, { credentials: 'same-origin', signal: abort ? abort.signal : undefined });
  // A trial WebGL 2 context takes 10-100 ms: while the download is already under way.
  if (!nnplayHasWebGL2()) {
    if (abort) abort.abort();
    download.catch(function () {});
    Module['nnplayFatal'](nnplayNeeds(['WebGL 2']));
    return {};
  }
  download.then(function (response) {
    if (!response.ok) throw new Error('the download of ' + url + ' failed (HTTP ' + response.status + ')');
    // Content-Length is the size on the wire: with gzip it is less than what streams out.
    var encoded = response.headers.get('Content-Encoding');
    var total = encoded && encoded !== 'identity' ? 0 : Number(response.headers.get('Content-Length')) || 0;
    var received = 0;
    var counted = nnplayCounted(response, function (n) {
      received += n;
      var kb = Math.round(received / 1024);
      if (total) {
        nnplaySetLoading('Downloading nnplay… ' + kb + ' of ' + Math.round(total / 1024) + ' KB', 0.9 * received / total);
      } else {
        nnplaySetLoading('Downloading nnplay… ' + kb + ' KB', null);
      }
    });
    var compiled;
    if (typeof WebAssembly.instantiateStreaming === 'function') {
      // Compiles while it downloads.
      compiled = WebAssembly.instantiateStreaming(counted, imports);
    } else {
      compiled = counted.arrayBuffer().then(function (bytes) {
        nnplaySetLoading('Compiling…', 0.95);
        return WebAssembly.instantiate(bytes, imports);
      });
    }
    return compiled.then(function (result) {
      nnplaySetLoading('Starting…', 1);
      receiveInstance(result.instance, result.module);
    });
  }).catch(function (e) {
    Module['nnplayFatal']('nnplay could not start: ' + (e && e.message ? e.message : e) +
                          '. Reload the page to try again.');
  });
  return {};  // the exports arrive through receiveInstance
};

// ---- the canvas -------------------------------------------------------------------------------

Module['canvas'].addEventListener('contextmenu', function (e) { e.preventDefault(); });
// SDL takes keys from the canvas only (SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT), but it cancels
// mousedown, which would stop a click from focusing the canvas: focus it on pointerdown. A
// touch while the relay input has the keyboard leaves it there (the phone's keyboard stays up).
var nnplayLastPointer = 'mouse';
Module['canvas'].addEventListener('pointerdown', function (e) {
  nnplayLastPointer = e.pointerType || 'mouse';
  Module['nnplayLastPointer'] = nnplayLastPointer;  // read by touch.cpp (swipe scrolling)
  if (nnplayLastPointer === 'mouse' || document.activeElement !== nnplayTextInput) Module['canvas'].focus();
});
Module['canvas'].addEventListener('webglcontextlost', function (e) {
  e.preventDefault();
  Module['nnplayFatal']('The WebGL context was lost; reload the page.');
});
// Dragging on the canvas (a slider, painting) must neither scroll nor zoom the page; the CSS
// says touch-action: none, and Safari's pinch gestures are cancelled here.
['gesturestart', 'gesturechange'].forEach(function (type) {
  document.addEventListener(type, function (e) { e.preventDefault(); }, { passive: false });
});
Module['canvas'].addEventListener('touchmove', function (e) { e.preventDefault(); }, { passive: false });

// ---- the touch keyboard relay --------------------------------------------------------------------

var nnplayTextInput = document.getElementById('textinput');

// Called by the platform layer whenever io.WantTextInput changes.
Module['nnplayWantText'] = function (want) {
  var input = nnplayTextInput;
  if (!input) return;
  if (want && (nnplayLastPointer === 'touch' || nnplayLastPointer === 'pen')) {
    input.value = '';
    input.focus({ preventScroll: true });
  } else if (!want && document.activeElement === input) {
    input.blur();
    Module['canvas'].focus({ preventScroll: true });
  }
};

if (nnplayTextInput) {
  // ImGui key names the relay forwards (nnplay_key_input takes these numbers).
  var NNPLAY_KEYS = {
    Enter: 1, Backspace: 2, Escape: 3, Tab: 4, ArrowLeft: 5, ArrowRight: 6, ArrowUp: 7, ArrowDown: 8,
    Delete: 9, Home: 10, End: 11,
  };
  var nnplayKey = function (code, shift) {
    if (Module['_nnplay_key_input']) Module['_nnplay_key_input'](code, shift ? 1 : 0);
  };
  var nnplayText = function (text) {
    if (text && Module['_nnplay_text_input']) Module.ccall('nnplay_text_input', null, ['string'], [text]);
  };
  nnplayTextInput.addEventListener('keydown', function (e) {
    var code = NNPLAY_KEYS[e.key];
    if (!code || e.isComposing) return;
    e.preventDefault();  // also stops the beforeinput below for this key
    nnplayKey(code, e.shiftKey);
  });
  // Virtual keyboards often send no usable keydown (key "Unidentified"): edits arrive here.
  nnplayTextInput.addEventListener('beforeinput', function (e) {
    if (e.inputType === 'deleteContentBackward') {
      e.preventDefault();
      nnplayKey(NNPLAY_KEYS.Backspace, false);
    } else if (e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph') {
      e.preventDefault();
      nnplayKey(NNPLAY_KEYS.Enter, false);
    }
  });
  // Typed text lands in the input; hand it on and keep the input empty.
  nnplayTextInput.addEventListener('input', function (e) {
    if (e.isComposing) return;
    nnplayText(nnplayTextInput.value);
    nnplayTextInput.value = '';
  });
  nnplayTextInput.addEventListener('compositionend', function () {
    nnplayText(nnplayTextInput.value);
    nnplayTextInput.value = '';
  });
}
