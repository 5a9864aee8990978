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

/** mnist and fashion-mnist are built in; any other dataset is an uploaded one's id. */
export const isBuiltIn = (dataset) => dataset === 'mnist' || dataset === 'fashion-mnist';

/** A label's name under a model's spec: its classNames (in the order of its classes), else the built-in names. */
export function labelName(spec, label) {
  const i = spec?.classes?.indexOf(label) ?? -1;
  return (i >= 0 ? spec.classNames?.[i] : undefined) ?? className(spec?.dataset, label);
}

/** "label 3" beside a name that is not the label itself ("Dress", "circle"); empty for a digit. */
export const labelNote = (name, label) => (name === String(label) ? '' : `label ${label}`);

/** "0 vs 8", "10 digits", "circle vs square" or "5 classes". */
export function classesText(spec) {
  const classes = spec.classes ?? [];
  if (classes.length === 2) return `${labelName(spec, classes[0])} vs ${labelName(spec, classes[1])}`;
  if (!isBuiltIn(spec.dataset)) return `${classes.length} classes`;
  return spec.dataset === 'fashion-mnist' ? `${classes.length} clothing classes` : `${classes.length} digits`;
}

/** [channels, height, width] of the images a model takes (MNIST's for a spec that does not say). */
export const inputShape = (spec) => (spec?.input?.length === 3 ? spec.input : [1, 28, 28]);

/** "1×32×32". */
export const shapeText = (shape) => shape.join('×');

/** "12.3 kB". */
export function bytesText(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do { value /= 1000; unit++; } while (value >= 1000 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
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

/**
 * Paints an image of [0, 1] values, laid out as the service sends them (each channel's rows in
 * turn), into a canvas of its size: grayscale for one channel (MNIST: white ink on black), RGB for three.
 */
export function paintPixels(canvas, pixels, [channels, height, width] = [1, 28, 28]) {
  canvas.width = width;
  canvas.height = height;
  const plane = width * height;
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  const byte = (v) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  for (let i = 0; i < plane; i++) {
    const r = byte(pixels[i]);
    const [g, b] = channels === 3 ? [byte(pixels[plane + i]), byte(pixels[2 * plane + i])] : [r, r];
    image.data.set([r, g, b, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

/**
 * Paints a signed change: red where ink was added, blue where it was removed, black where nothing
 * moved (a colour image's change is summed over its channels).
 */
export function paintChange(canvas, before, after, [channels, height, width] = [1, 28, 28]) {
  canvas.width = width;
  canvas.height = height;
  const plane = width * height;
  const change = new Float64Array(plane);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) change[i] += after[c * plane + i] - before[c * plane + i];
  }
  const context = canvas.getContext('2d');
  const image = context.createImageData(width, height);
  let largest = 1e-9;
  for (let i = 0; i < plane; i++) largest = Math.max(largest, Math.abs(change[i]));
  for (let i = 0; i < plane; i++) {
    const t = change[i] / largest;
    const strength = Math.round(Math.abs(t) * 255);
    image.data.set(t >= 0 ? [strength, Math.round(strength * 0.25), Math.round(strength * 0.2), 255] : [Math.round(strength * 0.2), Math.round(strength * 0.45), strength, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}
