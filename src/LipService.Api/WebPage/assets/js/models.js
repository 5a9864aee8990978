// "Models": every model with its accuracy and certificate, one model's detail with its
// certified-accuracy curve, and choosing the default model.
import { api, loadModels, withDataShape } from './api.js';
import { lineChart } from './chart.js';
import { el, toast, shortId, formatDate, percent, classesText, networkText, certifiedAt, isBuiltIn, labelName, inputShape, shapeText } from './ui.js';

const $ = (id) => document.getElementById(id);
let selected = null;
let listing = { models: [], defaultModelId: null, defaultAlias: 'default' };
let onDefaultChanged = () => {};

export function initModels({ defaultChanged }) {
  onDefaultChanged = defaultChanged;
  $('refresh-models').addEventListener('click', () => refreshModels());
}

/** The loss and the spec fields it reads (offset-cce's temperature is 1/τ). */
function lossText(spec) {
  switch (spec.loss) {
    case 'hkr': return `HKR, α ${spec.alpha}, margin ${spec.minMargin}`;
    case 'tau-cce': return `τ-CCE, τ ${spec.tau}`;
    case 'pairwise-hinge': return `pairwise hinge, margin ${spec.minMargin}`;
    case 'offset-cce': return `offset CE, margin ${spec.minMargin}, T = 1/${spec.tau}`;
    default: return spec.loss;
  }
}

export async function refreshModels() {
  try {
    listing = await loadModels();
  } catch (e) {
    toast(`Models could not be listed: ${e.message}`, { error: true });
    return;
  }
  const body = $('models-table').tBodies[0];
  if (listing.models.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 5, class: 'note' }, 'No model yet: train one under Train.')));
    return;
  }
  body.replaceChildren(...listing.models.map((m) => {
    const open = () => { location.hash = `#models/${m.id}`; };
    const certified = certifiedAt(m.certifiedAccuracy, 1.58);
    return el('tr', { onclick: open, 'aria-selected': selected === m.id ? 'true' : 'false', dataset: { model: m.id } },
      el('td', {},
        el('button', { type: 'button', class: 'link-button id', title: m.id, onclick: (e) => { e.stopPropagation(); open(); } }, shortId(m.id)),
        m.id === listing.defaultModelId ? [' ', el('span', { class: 'badge default' }, 'default')] : null),
      el('td', {}, classesText(m.spec)),
      el('td', {}, networkText(m.spec)),
      el('td', {}, percent(m.metrics.valAccuracy, 2)),
      el('td', {}, certified ? percent(certified.accuracy) : '–'));
  }));
}

export async function showModel(id) {
  selected = id;
  for (const row of $('models-table').tBodies[0].rows) row.setAttribute('aria-selected', row.dataset.model === id ? 'true' : 'false');
  const box = $('model-detail');
  let m;
  try {
    m = withDataShape((await api(`/models/${encodeURIComponent(id)}`)).data);
  } catch (e) {
    box.replaceChildren(el('div', { class: 'empty' }, e.status === 404 ? `No model ${shortId(id)}.` : e.message));
    return;
  }
  if (selected !== id) return;
  const isDefault = m.id === listing.defaultModelId && listing.defaultSource !== 'newest';
  const certified = certifiedAt(m.certifiedAccuracy, 1.58);
  const chart = el('figure', { class: 'chart', id: 'chart-certified' });
  const spec = m.spec;
  const rows = [
    ['Classes', isBuiltIn(spec.dataset) ? `${classesText(spec)} (${spec.dataset})`
      : `${spec.classes.map((c) => `${labelName(spec, c)} (${c})`).join(', ')} — uploaded dataset ${spec.dataset}`],
    ['Input', `${shapeText(inputShape(spec))} (channels × height × width, pixels in [0, 1])`],
    ['Network', `${networkText(spec)}, ${spec.activation}, ${m.trainableParameters.toLocaleString()} parameters`],
    ['Loss', lossText(spec)],
    ['Training', `${spec.epochs} epochs, batch ${spec.batchSize}, learning rate ${spec.learningRate} (${spec.learningRateSchedule}), seed ${spec.seed}`],
    ['Lipschitz bound', `${m.lipschitzBound.toPrecision(8)} (proven from the weights)`],
    ['Lower bound', m.lipschitzLowerBound === null || m.lipschitzLowerBound === undefined ? '–' : `${m.lipschitzLowerBound.toPrecision(4)} (largest gradient norm seen)`],
    ['Certificate', m.certificate],
    ['Aliases', m.aliases?.length ? m.aliases.join(', ') : 'none'],
    ['Created', formatDate(m.createdAt)],
    ['Model id', m.id],
  ];
  const makeDefault = el('button', { type: 'button', class: 'primary', disabled: isDefault, onclick: () => setDefault(m.id) },
    isDefault ? 'This is the default model' : 'Make it the default');
  box.replaceChildren(
    el('div', { class: 'card-head' },
      el('h2', {}, `Model ${shortId(m.id)}`, isDefault ? [' ', el('span', { class: 'badge default' }, 'default')] : null)),
    el('div', { class: 'headline' },
      el('div', {}, el('strong', {}, percent(m.metrics.valAccuracy, 2)), el('span', {}, 'test accuracy')),
      el('div', {}, el('strong', {}, certified ? percent(certified.accuracy) : '–'), el('span', {}, `certified at ε = ${certified?.epsilon ?? 1.58}`)),
      el('div', {}, el('strong', {}, m.lipschitzBound.toFixed(4)), el('span', {}, 'Lipschitz bound'))),
    chart,
    el('dl', {}, rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('div', { class: 'row' },
      makeDefault,
      el('a', { class: 'button ghost', href: '#try', onclick: () => { sessionStorage.setItem('lipservice.tryModel', m.id); } }, 'Try it'),
      el('a', { class: 'button ghost', href: `/models/${m.id}/weights?format=pt`, download: `${m.id}.pt` }, 'PyTorch weights'),
      el('a', { class: 'button ghost', href: `/models/${m.id}/weights?format=onnx`, download: `${m.id}.onnx` }, 'ONNX')));
  lineChart(chart, {
    title: 'Certified accuracy',
    xLabel: 'ε (L2 radius, pixels in [0, 1])',
    yDomain: [0, 1],
    yPercent: true,
    series: [{ label: 'test images certified at ε', color: 'var(--series-train)', points: m.certifiedAccuracy.map((p) => [p.epsilon, p.accuracy]) }],
  });
}

async function setDefault(id) {
  try {
    await api(`/models/${id}/aliases/${encodeURIComponent(listing.defaultAlias ?? 'default')}`, { method: 'PUT' });
    toast('Default model changed: /predict answers with it within a second.');
  } catch (e) {
    toast(e.status === 401 ? 'Choosing the default needs the API key (top right).' : e.message, { error: true });
    return;
  }
  await refreshModels();
  await showModel(id);
  onDefaultChanged();
}
