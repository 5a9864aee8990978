// "Try it": draw or drop an image, see the answer with its certified radius, and what an attack finds.
import { api, ApiError, loadModels } from './api.js';
import { DrawingPad } from './pad.js';
import { el, toast, classesText, networkText, labelName, labelNote, isBuiltIn, inputShape, shapeText, paintPixels, paintChange } from './ui.js';

const $ = (id) => document.getElementById(id);
const AttackSteps = 200;

let pad;
let request = 0; // answers to older requests are dropped when a newer one is on its way
let specOf = new Map(); // model id → its spec: class names, input size
let defaultModelId = null;

export function initTry() {
  pad = new DrawingPad($('pad'), {
    onStroke: () => {
      $('pad-hint').hidden = true;
      predictDrawing();
    },
  });
  $('clear-pad').addEventListener('click', () => {
    pad.clear();
    $('pad-hint').hidden = false;
  });
  $('file-input').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    if (file) predict(file, file.name);
    e.target.value = '';
  });
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('dragging'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const file = [...(e.dataTransfer?.files ?? [])].find((f) => f.type.startsWith('image/'));
    if (file) predict(file, file.name);
    else toast('Drop an image file (PNG, JPEG, GIF, WebP or BMP).', { error: true });
  });
  $('try-model').addEventListener('change', () => {
    describeModel();
    if (!pad.empty) predictDrawing();
  });
}

/** The spec of the model the picker names ("" is the default model); undefined when not listed. */
const chosenSpec = () => specOf.get($('try-model').value || defaultModelId);

/** The images a model trained on an uploaded dataset takes; null for MNIST and Fashion-MNIST's. */
function uploadedShape(spec) {
  return spec && !isBuiltIn(spec.dataset) ? inputShape(spec) : null;
}

/** The pad's picture: whole for MNIST (the service centres and scales it), shrunk to an uploaded dataset's size. */
function predictDrawing() {
  const shape = uploadedShape(chosenSpec());
  pad.toBlob(shape?.[2], shape?.[1]).then((blob) => predict(blob, 'drawing.png'));
}

let listingNote = '';
/** Says what images the chosen model takes when it is not a digit or clothing model. */
function describeModel() {
  const shape = uploadedShape(chosenSpec());
  $('try-model-note').textContent = [
    listingNote,
    shape ? `This model was trained on uploaded images of ${shape[2]}×${shape[1]} pixels (${shapeText(shape)}). `
      + `Your drawing is shrunk to ${shape[2]}×${shape[1]}; an image you choose or drop must be exactly that size (it is not resized).` : '',
  ].filter(Boolean).join(' ');
}

/** Fills the model picker; "" is "the default model" (whatever the default alias points at). */
export async function refreshTryModels(select) {
  const picker = $('try-model');
  let listing;
  try {
    listing = await loadModels();
  } catch (e) {
    toast(`Models could not be listed: ${e.message}`, { error: true });
    return;
  }
  // Read after the wait: a model chosen while the list was on its way stays chosen.
  const chosen = select ?? picker.value;
  const { models, defaultSource } = listing;
  defaultModelId = listing.defaultModelId;
  specOf = new Map(models.map((m) => [m.id, m.spec]));
  const label = (m) => `${classesText(m.spec)} · ${networkText(m.spec)} · ${(100 * m.metrics.valAccuracy).toFixed(1)} % · ${m.id.slice(-6)}`;
  const options = [];
  if (models.length) {
    const fallback = models.find((m) => m.id === defaultModelId);
    options.push(el('option', { value: '' }, fallback ? `Default: ${classesText(fallback.spec)} · ${networkText(fallback.spec)}` : 'Default model'));
  }
  for (const m of models) options.push(el('option', { value: m.id }, `${m.id === defaultModelId ? '★ ' : ''}${label(m)}`));
  picker.replaceChildren(...options);
  picker.disabled = models.length === 0;
  if (models.length === 0) picker.append(el('option', { value: '' }, 'No model yet — train one'));
  picker.value = [...picker.options].some((o) => o.value === chosen) ? chosen : '';
  listingNote = models.length === 0
    ? 'No model has been trained yet: start one under Train.'
    : defaultSource === 'newest' ? 'No default chosen: the newest model answers.' : '';
  describeModel();
}

async function predict(blob, name) {
  const mine = ++request;
  const form = new FormData();
  form.append('files', blob, name);
  const model = $('try-model').value;
  const query = new URLSearchParams({ includeInput: 'true' });
  if (model) query.set('modelId', model);
  $('answer').classList.add('busy-area');
  let answer;
  try {
    answer = (await api(`/predict?${query}`, { method: 'POST', body: form })).data;
  } catch (e) {
    // A 400 names what is wrong with the image (for an uploaded dataset's model: its size).
    if (mine === request) toast(e instanceof ApiError && e.status === 404 ? 'No model to answer yet: train one first (Train).' : e.message, { error: true });
    return;
  }
  if (mine !== request) return;
  const prediction = answer.predictions[0];
  showAnswer(answer, prediction);
  attack(answer.modelId, prediction, mine);
}

function classesOf(answer) {
  return answer.classes ?? [answer.positiveClass, answer.negativeClass];
}

/** The shape of the pixels the model saw: its spec's, or guessed from their count when the model is not listed yet. */
function shapeOf(spec, pixels) {
  if (spec?.input) return inputShape(spec);
  const n = pixels?.length ?? 784;
  const gray = Math.round(Math.sqrt(n));
  if (gray * gray === n) return [1, gray, gray];
  const rgb = Math.round(Math.sqrt(n / 3));
  return [3, rgb, rgb];
}

/** Names a canvas's image size in its accessible label. */
function describeCanvas(canvas, text, [, height, width]) {
  canvas.setAttribute('aria-label', `${text}, ${width} by ${height} pixels`);
}

function showAnswer(answer, prediction) {
  const spec = specOf.get(answer.modelId) ?? { dataset: 'mnist' };
  const name = prediction.className || labelName(spec, prediction.label);
  const note = labelNote(name, prediction.label);
  const shape = shapeOf(spec, prediction.input);
  $('answer-empty').hidden = true;
  $('answer-body').hidden = false;
  $('answer-label').textContent = name;
  $('answer-label').classList.toggle('long', name.length > 2);
  $('answer-label').setAttribute('aria-label', `Answer: ${name}${note ? ` (${note})` : ''}`);
  $('answer-label-number').textContent = note;
  $('answer-label-number').hidden = !note;
  const r = prediction.certifiedRadius;
  const units = isBuiltIn(spec.dataset) ? 'L2 norm, pixels in [0, 1]' : `L2 norm over the ${shapeText(shape)} values, pixels in [0, 1]`;
  $('answer-radius').textContent = r.toFixed(3);
  $('answer-words').textContent = r > 0
    ? `No change of this image smaller than ${r.toFixed(3)} (${units}) can change the answer “${name}”. That is proven from the model's weights, not tested.`
    : 'The model sits exactly on the boundary here: the smallest change could flip it.';
  paintPixels($('seen'), prediction.input, shape);
  describeCanvas($('seen'), 'The image the model saw', shape);
  $('seen-caption').textContent = `What the model saw (${shape[2]}×${shape[1]})`;

  // Scores: one per class (a binary model's single score f(x) is +f for its first class, −f for its second).
  const classes = classesOf(answer);
  const scores = prediction.scores ?? [prediction.score, -prediction.score];
  const low = Math.min(...scores, 0);
  const high = Math.max(...scores, 0);
  const span = high - low || 1;
  const top = scores.indexOf(Math.max(...scores));
  $('scores').replaceChildren(...classes.map((c, i) => {
    const from = (Math.min(0, scores[i]) - low) / span;
    const width = Math.abs(scores[i]) / span;
    const name = labelName(spec, c);
    const note = labelNote(name, c);
    return el('div', { class: i === top ? 'score-row best' : 'score-row' },
      el('span', { class: 'name', title: note ? `${name} (${note})` : null }, name),
      el('span', { class: 'bar', role: 'presentation' }, el('span', { style: `left:${(100 * from).toFixed(1)}%;width:${Math.max(1, 100 * width).toFixed(1)}%` })),
      el('span', { class: 'value' }, scores[i].toFixed(3)));
  }));
}

async function attack(modelId, prediction, mine) {
  $('attack-empty').hidden = false;
  $('attack-empty').textContent = 'Searching for the smallest change that flips the answer…';
  $('attack-empty').classList.add('busy');
  $('attack-body').hidden = true;
  let result;
  try {
    result = (await api('/attack', { method: 'POST', json: { modelId, image: prediction.input, steps: AttackSteps } })).data;
  } catch (e) {
    if (mine !== request) return;
    $('attack-empty').classList.remove('busy');
    $('attack-empty').textContent = `The attack could not run: ${e.message}`;
    return;
  }
  if (mine !== request) return;
  $('attack-empty').classList.remove('busy');
  showAttack(modelId, prediction, result);
}

function showAttack(modelId, prediction, result) {
  const spec = specOf.get(modelId) ?? { dataset: 'mnist' };
  const shape = shapeOf(spec, prediction.input);
  const r = result.certifiedRadius;
  const a = result.attack;
  $('attack-empty').hidden = true;
  $('attack-body').hidden = false;
  describeCanvas($('adversarial'), 'The image the attack found', shape);
  describeCanvas($('perturbation'), 'The change the attack made: red added, blue removed', shape);
  drawGap($('gap'), r, a.found ? a.distance : null, a.searchedRadius);
  const before = prediction.input;
  if (a.found) {
    paintPixels($('adversarial'), a.image, shape);
    paintChange($('perturbation'), before, a.image, shape);
    const ratio = r > 0 ? a.distance / r : Infinity;
    const name = labelName(spec, a.label);
    const note = labelNote(name, a.label);
    $('attack-words').textContent =
      `A change of L2 norm ${a.distance.toFixed(3)} turns the answer into “${name}”${note ? ` (${note})` : ''} — ` +
      `${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'beyond'} the certified radius ${r.toFixed(3)}. ` +
      `Below ${r.toFixed(3)} no attack can succeed; between the two, nothing is proven and nothing was found.`;
  } else {
    paintPixels($('adversarial'), before, shape);
    paintChange($('perturbation'), before, before, shape);
    $('attack-words').textContent =
      `${a.steps} attack steps found no change up to L2 norm ${a.searchedRadius.toFixed(3)} that flips the answer. ` +
      `Proven: nothing below ${r.toFixed(3)} can.`;
  }
}

/** The distance scale: proven-safe zone, the unexplored gap, and where the attack succeeded. */
function drawGap(container, radius, distance, searched) {
  const w = 420, h = 74, left = 8, right = 8;
  const end = Math.max(radius, distance ?? searched ?? radius, 0.1) * 1.18;
  const x = (v) => left + (v / end) * (w - left - right);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text) n.textContent = text;
    svg.append(n);
    return n;
  };
  const y = 30, bar = 16;
  add('rect', { x: x(0), y, width: x(radius) - x(0), height: bar, class: 'safe-zone', rx: 3 });
  const far = distance ?? end;
  add('rect', { x: x(radius), y, width: Math.max(0, x(far) - x(radius)), height: bar, class: 'unknown-zone' });
  if (distance !== null) add('rect', { x: x(distance), y, width: x(end) - x(distance), height: bar, class: 'risk-zone' });
  add('line', { x1: x(radius), x2: x(radius), y1: y - 6, y2: y + bar + 6, class: 'marker-safe' });
  add('text', { x: Math.max(x(radius), 60), y: y - 10, 'text-anchor': 'end', class: 'label-safe' }, `proven ${radius.toFixed(2)}`);
  if (distance !== null) {
    add('line', { x1: x(distance), x2: x(distance), y1: y - 6, y2: y + bar + 6, class: 'marker-risk' });
    add('text', { x: Math.min(x(distance) + 4, w - 90), y: y - 10, class: 'label-risk' }, `attack ${distance.toFixed(2)}`);
  }
  const t = add('g', { class: 'tick' });
  for (const v of [0, end / 2, end]) {
    const n = document.createElementNS(ns, 'text');
    n.setAttribute('x', x(v));
    n.setAttribute('y', h - 6);
    n.setAttribute('text-anchor', v === 0 ? 'start' : v === end ? 'end' : 'middle');
    n.textContent = v === 0 ? '0' : v.toFixed(2);
    t.append(n);
  }
  container.replaceChildren(svg);
  container.setAttribute('aria-label', distance !== null
    ? `Proven safe up to ${radius.toFixed(3)}; the attack flipped the answer at ${distance.toFixed(3)}.`
    : `Proven safe up to ${radius.toFixed(3)}; no attack found up to ${searched.toFixed(3)}.`);
}
