// "Train": the spec form (presets and defaults from GET /presets), live charts from the job's
// Server-Sent Events, cancel, and the jobs list.
import { api, ApiError } from './api.js';
import { lineChart } from './chart.js';
import { el, toast, shortId, formatDate, className, hasConvolutions } from './ui.js';

const $ = (id) => document.getElementById(id);
const Train = 'var(--series-train)';
const Validation = 'var(--series-val)';
const Terminal = new Set(['succeeded', 'failed', 'cancelled']);

let presets = new Map();
let watched = null; // { id, source: EventSource, epochs: [], total }
let onModelsChanged = () => {};

export async function initTrain({ modelsChanged }) {
  onModelsChanged = modelsChanged;
  const form = $('spec-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); start(); });
  $('preset').addEventListener('change', () => fill(presets.get($('preset').value)));
  form.elements.dataset.addEventListener('change', () => drawClassBoxes(checkedClasses()));
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

/** Puts a preset's spec into the form; the seed stays empty (a random one is drawn and recorded). */
function fill(spec) {
  if (!spec) return;
  const f = $('spec-form').elements;
  for (const name of ['dataset', 'architecture', 'activation', 'loss', 'learningRateSchedule', 'alpha', 'minMargin', 'tau', 'learningRate', 'epochs', 'batchSize']) {
    f[name].value = spec[name];
  }
  f.channels.value = spec.channels.join(', ');
  f.hidden.value = spec.hidden.join(', ');
  f.seed.value = '';
  drawClassBoxes(spec.classes);
  showLossFields();
  clearErrors();
}

function drawClassBoxes(checked) {
  const dataset = $('spec-form').elements.dataset.value;
  $('class-boxes').replaceChildren(...Array.from({ length: 10 }, (_, c) =>
    el('label', { title: className(dataset, c) },
      el('input', { type: 'checkbox', name: 'classes', value: c, checked: checked.includes(c) }),
      dataset === 'fashion-mnist' ? className(dataset, c) : String(c))));
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
    $('live-note').textContent = `Epoch ${epoch.epoch} of ${state.total}: validation accuracy ${(100 * epoch.valAccuracy).toFixed(2)} %, ${epoch.seconds.toFixed(1)} s.`;
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
    body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'note' }, 'No job yet.')));
    return;
  }
  body.replaceChildren(...jobs.map((job) => {
    const open = () => { location.hash = `#train/${job.id}`; };
    return el('tr', { 'aria-selected': watched?.id === job.id ? 'true' : 'false', onclick: open, dataset: { job: job.id } },
      el('td', { class: 'id', title: job.id }, shortId(job.id)),
      el('td', {}, job.spec.preset),
      el('td', {}, el('span', { class: `status ${job.status}` }, job.status)),
      el('td', {}, `${job.epochsCompleted} / ${job.epochs}`),
      el('td', {}, formatDate(job.createdAt)),
      el('td', {}, el('button', { type: 'button', class: 'link-button', onclick: (e) => { e.stopPropagation(); open(); } }, 'Watch')));
  }));
}
