// relu-anim slides: keyboard player. Each slide plays its clip once and stops on its last
// frame; nothing is fetched but the clips beside the page (or inside it).
(() => {
  const slides = [...document.querySelectorAll('.slide')];
  const where = document.getElementById('where');
  let current = -1;

  const clip = (slide) => slide && slide.querySelector('video');

  function play(video) {
    video.currentTime = 0;
    const started = video.play();
    if (started) {
      started.catch(() => {  // sound before a key press is refused: start muted, say so
        video.muted = true;
        document.body.classList.add('muted');
        video.play().catch(() => {});
      });
    }
  }

  function show(index) {
    const next = Math.max(0, Math.min(slides.length - 1, index));
    if (next === current) { return; }
    slides.forEach((slide, k) => {
      slide.hidden = k !== next;
      if (k !== next && clip(slide)) { clip(slide).pause(); }
    });
    current = next;
    const slide = slides[current];
    where.textContent = `${slide.dataset.title} · ${slide.dataset.label} · ${current + 1} / ${slides.length}`;
    history.replaceState(null, '', `#${current + 1}`);
    if (clip(slide)) { play(clip(slide)); }
    const after = clip(slides[current + 1]);
    if (after) { after.preload = 'auto'; }
  }

  function unmute() {
    if (!document.body.classList.contains('muted')) { return; }
    document.body.classList.remove('muted');
    slides.forEach((slide) => { if (clip(slide) && clip(slide).dataset.audio) { clip(slide).muted = false; } });
  }

  function fullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else { document.documentElement.requestFullscreen().catch(() => {}); }
  }

  const keys = {
    ArrowRight: () => show(current + 1), ' ': () => show(current + 1),
    PageDown: () => show(current + 1), ArrowLeft: () => show(current - 1),
    PageUp: () => show(current - 1), Home: () => show(0), End: () => show(slides.length - 1),
    r: () => { if (clip(slides[current])) { play(clip(slides[current])); } },
    f: fullScreen,
    s: () => document.body.classList.toggle('notes-on'),
  };

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    const action = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) { return; }
    event.preventDefault();
    unmute();
    action();
  });
  document.addEventListener('click', () => { unmute(); show(current + 1); });
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);
})();
