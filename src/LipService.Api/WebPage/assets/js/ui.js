// Small DOM helpers shared by the sections.

/** Creates an element: el('td', { class: 'id', title: id }, 'text', childNode). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

let toastTimer;
/** A short message at the bottom of the page; errors stay longer. */
export function toast(message, { error = false } = {}) {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.classList.toggle('error', error);
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, error ? 8000 : 3500);
}

export const shortId = (id) => (id ? `${id.slice(0, 6)}…${id.slice(-4)}` : '');

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const percent = (x, digits = 1) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(digits)} %`);

/** Fashion-MNIST's class names; digits are their own names. */
const FashionNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
export const className = (dataset, label) => (dataset === 'fashion-mnist' ? FashionNames[label] ?? String(label) : String(label));

/** "0 vs 8" or "10 digits" or "10 classes". */
export function classesText(spec) {
  const classes = spec.classes ?? [];
  if (classes.length === 2) return `${className(spec.dataset, classes[0])} vs ${className(spec.dataset, classes[1])}`;
  return spec.dataset === 'fashion-mnist' ? `${classes.length} clothing classes` : `${classes.length} digits`;
}

/** conv, ortho-conv and ortho-conv-unshuffle list their convolutions' channels. */
export const hasConvolutions = (architecture) => ['conv', 'ortho-conv', 'ortho-conv-unshuffle'].includes(architecture);

/** "conv 16 · dense 256", "ortho-conv 16-32 · dense 256" or "dense 32-16". */
export function networkText(spec) {
  const dense = spec.hidden?.length ? `dense ${spec.hidden.join('-')}` : 'dense';
  return hasConvolutions(spec.architecture) ? `${spec.architecture} ${spec.channels.join('-')} · ${dense}` : dense;
}

/** The certified accuracy at the ε closest to the one asked for. */
export function certifiedAt(curve, epsilon) {
  if (!curve?.length) return null;
  let best = curve[0];
  for (const point of curve) if (Math.abs(point.epsilon - epsilon) < Math.abs(best.epsilon - epsilon)) best = point;
  return best;
}

/** Paints 784 values in [0, 1] (white ink on black, as MNIST) into a 28×28 canvas. */
export function paintPixels(canvas, pixels) {
  const context = canvas.getContext('2d');
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

/** Paints a signed change: red where ink was added, blue where it was removed, black where nothing moved. */
export function paintChange(canvas, before, after) {
  const context = canvas.getContext('2d');
  const image = context.createImageData(28, 28);
  let largest = 1e-9;
  for (let i = 0; i < 784; i++) largest = Math.max(largest, Math.abs(after[i] - before[i]));
  for (let i = 0; i < 784; i++) {
    const t = (after[i] - before[i]) / largest;
    const strength = Math.round(Math.abs(t) * 255);
    image.data.set(t >= 0 ? [strength, Math.round(strength * 0.25), Math.round(strength * 0.2), 255] : [Math.round(strength * 0.2), Math.round(strength * 0.45), strength, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}
