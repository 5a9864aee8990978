// "Train": the spec form (presets and defaults from GET /presets, uploaded datasets from GET
// /datasets), live charts from the job's Server-Sent Events, cancel, and the jobs list.
import { api, ApiError, loadDatasets } from './api.js';
import { lineChart } from './chart.js';
import { el, toast, shortId, formatDate, className, hasConvolutions, isBuiltIn, shapeText } from './ui.js';

const $ = (id) => document.getElementById(id);
const Train = 'var(--series-train)';
const Validation = 'var(--series-val)';
const Terminal = new Set(['succeeded', 'failed', 'cancelled']);

let presets = new Map();
let watched = null; // { id, source: EventSource, epochs: [], total }
let onModelsChanged = () => {};
let uploaded = new Map(); // uploaded dataset id → its description from GET /datasets
let shownDataset = 'mnist'; // the dataset whose classes the boxes show
let pendingDataset = null; // chosen with "Train on this" before the list is read again

export async function initTrain({ modelsChanged }) {
  onModelsChanged = modelsChanged;
  const form = $('spec-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); start(); });
  $('preset').addEventListener('change', () => fill(presets.get($('preset').value)));
  form.elements.dataset.addEventListener('change', datasetChanged);
  form.elements.loss.addEventListener('change', showLossFields);
  form.elements.architecture.addEventListener('change', showLossFields);
  $('cancel-job').addEventListener('click', cancel);
  $('refresh-jobs').addEventListener('click', refreshJobs);
  drawCharts([]);
  try {
    const { data } = await api('/presets');
    presets = new Map(data.presets.map((p) => [p.name, p.spec]));
    $('preset').replaceChildren(...data.presets.map((p) => el('option', { value: p.name }, p.name === data.default ? `${p.name} (default)` : p.name)));
    for (const [field, values] of Object.entries(data.choices)) {
      const select = form.elements[field];
      if (select) select.replaceChildren(...values.map((v) => el('option', { value: v }, v)));
    }
    $('preset').value = data.default;
    fill(presets.get(data.default));
  } catch (e) {
    toast(`The training presets could not be read: ${e.message}`, { error: true });
  }
}

/**
 * Puts a preset's spec into the form; the seed stays empty (a random one is drawn and recorded).
 * A chosen uploaded dataset stays chosen, with all its classes: a preset names a built-in one.
 */
function fill(spec) {
  if (!spec) return;
  const f = $('spec-form').elements;
  const keep = uploaded.has(f.dataset.value) ? f.dataset.value : null;
  for (const name of ['dataset', 'architecture', 'activation', 'loss', 'learningRateSchedule', 'alpha', 'minMargin', 'tau', 'learningRate', 'epochs', 'batchSize']) {
    f[name].value = spec[name];
  }
  if (keep) f.dataset.value = keep;
  f.channels.value = spec.channels.join(', ');
  f.hidden.value = spec.hidden.join(', ');
  f.seed.value = '';
  drawClassBoxes(keep ? allLabels(keep) : spec.classes);
  showLossFields();
  clearErrors();
}

const allLabels = (id) => uploaded.get(id).classes.map((c) => c.label);

/** The classes to check when the dataset changes: all of an uploaded one's; the preset's when leaving one; else those checked. */
function datasetChanged() {
  const dataset = $('spec-form').elements.dataset.value;
  const checked = uploaded.has(dataset) ? allLabels(dataset)
    : !isBuiltIn(shownDataset) ? presets.get($('preset').value)?.classes ?? []
    : checkedClasses();
  drawClassBoxes(checked);
}

/** Ten boxes for MNIST (digits) and Fashion-MNIST (items); an uploaded dataset's labels with their names. */
function drawClassBoxes(checked) {
  const dataset = $('spec-form').elements.dataset.value;
  shownDataset = dataset;
  const data = uploaded.get(dataset);
  const classes = data ? data.classes.map((c) => ({ label: c.label, name: c.name }))
    : Array.from({ length: 10 }, (_, c) => ({ label: c, name: className(dataset, c) }));
  $('class-boxes').replaceChildren(...classes.map(({ label, name }) =>
    el('label', { title: name === String(label) ? name : `${name} (label ${label})` },
      el('input', { type: 'checkbox', name: 'classes', value: label, checked: checked.includes(label) }),
      name)));
  const note = $('dataset-note');
  note.textContent = data
    ? `${data.trainCount.toLocaleString()} training and ${data.validationCount.toLocaleString()} validation images of ${data.width}×${data.height} `
      + `(${shapeText([data.channels, data.height, data.width])}, ${data.channels === 1 ? 'grayscale' : 'RGB'}) in ${data.classes.length} classes; `
      + 'the network takes that size, and /predict then takes images of exactly that size.'
    : '';
  note.hidden = !data;
}

/**
 * Lists the uploaded datasets under the built-in ones in the dataset picker. The chosen one stays
 * chosen while it is listed; "Train on this" (see trainOn) chooses one with all its classes.
 */
export async function refreshDatasetChoices() {
  const chosen = pendingDataset;
  pendingDataset = null;
  let list;
  try {
    list = await loadDatasets();
  } catch (e) {
    toast(`Uploaded datasets could not be listed: ${e.message}`, { error: true });
    return;
  }
  uploaded = new Map(list.map((d) => [d.id, d]));
  const select = $('spec-form').elements.dataset;
  const current = chosen ?? select.value;
  select.querySelector('optgroup')?.remove();
  if (list.length) {
    select.append(el('optgroup', { label: 'Uploaded' }, list.map((d) =>
      el('option', { value: d.id }, `${d.name} · ${shapeText([d.channels, d.height, d.width])} · ${d.classes.length} classes`))));
  }
  select.value = [...select.options].some((o) => o.value === current) ? current : presets.get($('preset').value)?.dataset ?? 'mnist';
  if (chosen || select.value !== shownDataset) datasetChanged();
  else drawClassBoxes(checkedClasses());
}

/** Opens the Train form with an uploaded dataset chosen and all its classes checked. */
export function trainOn(id) {
  pendingDataset = id;
  if (location.hash === '#train') refreshDatasetChoices();
  else location.hash = '#train';
}

const checkedClasses = () => [...document.querySelectorAll('#class-boxes input:checked')].map((i) => Number(i.value));

function showLossFields() {
  const f = $('spec-form').elements;
  f.alpha.disabled = f.loss.value !== 'hkr';
  f.tau.disabled = !usesTau(f.loss.value);
  f.channels.disabled = !hasConvolutions(f.architecture.value);
}

/** tau-cce's τ; offset-cce's temperature is 1/τ. */
const usesTau = (loss) => loss === 'tau-cce' || loss === 'offset-cce';

const numbers = (text) => text.split(/[\s,]+/).filter(Boolean).map(Number);

function specFromForm() {
  const f = $('spec-form').elements;
  const spec = {
    preset: f.preset.value,
    dataset: f.dataset.value,
    classes: checkedClasses(),
    architecture: f.architecture.value,
    hidden: numbers(f.hidden.value),
    activation: f.activation.value,
    loss: f.loss.value,
    minMargin: Number(f.minMargin.value),
    learningRate: Number(f.learningRate.value),
    learningRateSchedule: f.learningRateSchedule.value,
    epochs: Number(f.epochs.value),
    batchSize: Number(f.batchSize.value),
  };
  if (hasConvolutions(spec.architecture)) spec.channels = numbers(f.channels.value);
  if (spec.loss === 'hkr') spec.alpha = Number(f.alpha.value);
  if (usesTau(spec.loss)) spec.tau = Number(f.tau.value);
  if (f.seed.value !== '') spec.seed = Number(f.seed.value);
  return spec;
}

function clearErrors() {
  $('spec-errors').textContent = '';
  for (const node of document.querySelectorAll('#spec-form [aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of document.querySelectorAll('#spec-form .error')) node.remove();
}

/** Shows a validation problem next to the fields it names (ProblemDetails errors use the spec's field names). */
function showErrors(error) {
  clearErrors();
  const f = $('spec-form').elements;
  const general = [];
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    const input = field === 'classes' ? $('class-boxes') : f[field];
    if (input && input.closest) {
      input.setAttribute('aria-invalid', 'true');
      const note = el('span', { class: 'error', id: `error-${field}` }, messages.join(' '));
      (input.closest('.field') ?? input).append(note);
      input.setAttribute?.('aria-describedby', note.id);
    } else {
      general.push(...messages);
    }
  }
  $('spec-errors').textContent = general.length ? general.join(' ') : Object.keys(error.fieldErrors).length ? '' : error.message;
}

async function start() {
  const button = $('start-job');
  button.disabled = true;
  try {
    const { data } = await api('/jobs', { method: 'POST', json: specFromForm() });
    clearErrors();
    toast(`Job ${shortId(data.id)} queued.`);
    location.hash = `#train/${data.id}`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) showErrors(e);
    else if (e instanceof ApiError && e.status === 401) toast('This service needs its API key to start jobs: set it with “API key” at the top.', { error: true });
    else toast(e.message, { error: true });
  } finally {
    button.disabled = false;
  }
}

async function cancel() {
  if (!watched) return;
  $('cancel-job').disabled = true;
  try {
    await api(`/jobs/${watched.id}`, { method: 'DELETE' });
    toast('Cancelling…');
  } catch (e) {
    toast(e.status === 401 ? 'Cancelling needs the API key (top right).' : e.message, { error: true });
    $('cancel-job').disabled = false;
  }
}

/** Follows a job: its epochs so far and live ones from /jobs/{id}/metrics; EventSource resumes with Last-Event-ID. */
export async function watch(id) {
  if (watched?.id === id) return;
  watched?.source.close();
  let job;
  try {
    job = (await api(`/jobs/${id}`)).data;
  } catch (e) {
    toast(`Job ${shortId(id)}: ${e.message}`, { error: true });
    return;
  }
  const state = { id, epochs: [], total: job.epochs, source: new EventSource(`/jobs/${id}/metrics`) };
  watched = state;
  setStatus(job.status, job);
  drawCharts([]);
  state.source.addEventListener('epoch', (e) => {
    if (watched !== state) return;
    const epoch = JSON.parse(e.data);
    if (state.epochs.some((x) => x.epoch === epoch.epoch)) return;
    state.epochs.push(epoch);
    drawCharts(state.epochs);
    // A job that had ended when the page opened it replays its epochs: its final note stays.
    if (!Terminal.has($('live-status').textContent)) {
      $('live-note').textContent = `Epoch ${epoch.epoch} of ${state.total}: validation accuracy ${(100 * epoch.valAccuracy).toFixed(2)} %, ${epoch.seconds.toFixed(1)} s.`;
    }
    if ($('live-status').textContent === 'queued') setStatus('running', { ...job, status: 'running' });
  });
  state.source.addEventListener('status', (e) => {
    if (watched !== state) return;
    const final = JSON.parse(e.data);
    setStatus(final.status, final);
    if (Terminal.has(final.status)) {
      state.source.close();
      refreshJobs();
      if (final.status === 'succeeded') onModelsChanged();
    }
  });
  refreshJobs();
}

function setStatus(status, job) {
  const badge = $('live-status');
  badge.textContent = status;
  badge.className = `status ${status}`;
  $('cancel-job').disabled = Terminal.has(status);
  const prefix = `Job ${shortId(job.id)} · ${job.spec?.preset ?? ''}`;
  if (status === 'queued') $('live-note').textContent = `${prefix}: waiting for a free runner.`;
  if (status === 'succeeded') $('live-note').replaceChildren(`${prefix}: done. `, el('a', { href: `#models/${job.modelId}` }, 'See the model'));
  if (status === 'failed') $('live-note').textContent = `${prefix}: failed — ${job.error ?? 'see the service log'}.`;
  if (status === 'cancelled') $('live-note').textContent = `${prefix}: cancelled after ${job.epochsCompleted ?? watched?.epochs.length ?? 0} epochs.`;
}

function drawCharts(epochs) {
  const xDomain = [1, Math.max(2, watched?.total ?? 2)];
  const series = (key, valKey) => [
    { label: 'train', color: Train, points: epochs.map((e) => [e.epoch, e[key]]) },
    { label: 'validation', color: Validation, dashed: true, points: epochs.map((e) => [e.epoch, e[valKey]]) },
  ];
  lineChart($('chart-loss'), { title: 'Loss', xLabel: 'epoch', xDomain, series: series('loss', 'valLoss') });
  lineChart($('chart-accuracy'), { title: 'Accuracy', xLabel: 'epoch', xDomain, series: series('accuracy', 'valAccuracy'), yPercent: true });
  lineChart($('chart-kr'), { title: 'KR (Wasserstein estimate)', xLabel: 'epoch', xDomain, series: series('kr', 'valKr') });
  lineChart($('chart-hinge'), { title: 'Hinge', xLabel: 'epoch', xDomain, series: series('hinge', 'valHinge') });
}

export async function refreshJobs() {
  let jobs;
  try {
    jobs = (await api('/jobs?limit=25')).data.items;
  } catch (e) {
    toast(`Jobs could not be listed: ${e.message}`, { error: true });
    return;
  }
  const body = $('jobs-table').tBodies[0];
  if (jobs.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'note' }, 'No job yet.')));
    return;
  }
  body.replaceChildren(...jobs.map((job) => {
    const open = () => { location.hash = `#train/${job.id}`; };
    return el('tr', { 'aria-selected': watched?.id === job.id ? 'true' : 'false', onclick: open, dataset: { job: job.id } },
      el('td', { class: 'id', title: job.id }, shortId(job.id)),
      el('td', {}, job.spec.preset),
      el('td', { title: job.spec.dataset }, isBuiltIn(job.spec.dataset) ? job.spec.dataset : uploaded.get(job.spec.dataset)?.name ?? shortId(job.spec.dataset)),
      el('td', {}, el('span', { class: `status ${job.status}` }, job.status)),
      el('td', {}, `${job.epochsCompleted} / ${job.epochs}`),
      el('td', {}, formatDate(job.createdAt)),
      el('td', {}, el('button', { type: 'button', class: 'link-button', onclick: (e) => { e.stopPropagation(); open(); } }, 'Watch')));
  }));
}
