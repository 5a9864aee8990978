// "Datasets": upload a labelled image set (with a progress bar: XMLHttpRequest reports the bytes
// sent, fetch does not), list the uploaded ones with their classes and thumbnails, delete one, and
// open the Train form on one.
import { api, ApiError, upload, loadDatasets } from './api.js';
import { el, toast, formatDate, bytesText, shapeText } from './ui.js';

const $ = (id) => document.getElementById(id);

/** What each format's files hold; accept narrows the file picker (IDX files have no usual extension). */
const Formats = {
  zip: {
    accept: '.zip,application/zip',
    note: 'A zip with one folder per class (the folder names are the class names), each holding PNG or JPEG images, all of one size.',
  },
  idx: {
    accept: '',
    note: 'An IDX images file like MNIST\'s train-images-idx3-ubyte (gzip allowed), with its labels file below.',
  },
  csv: {
    accept: '.csv,text/csv',
    note: 'Rows of label,pixel0,pixel1,… with pixels 0-255 (a header row is allowed): square grayscale images unless you give the height and width.',
  },
};

/** The form's words for the parts and fields a validation problem names. */
const FieldNames = {
  file: 'Images file', labels: 'Labels file', validation: 'Validation file', validationLabels: 'Validation labels',
  name: 'Name', validationFraction: 'Validation fraction', channels: 'Channels', height: 'Height', width: 'Width', body: 'Upload',
};

let hooks = { datasetsChanged: () => {}, trainOn: () => {} };
let uploading = null; // the AbortController of the upload on its way
let justStored = null; // the id of the dataset just uploaded, scrolled into view once listed

export function initDatasets({ datasetsChanged, trainOn }) {
  hooks = { datasetsChanged, trainOn };
  const form = $('upload-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); send(); });
  for (const radio of form.elements.format) radio.addEventListener('change', showFormat);
  $('upload-cancel').addEventListener('click', () => uploading?.abort());
  $('refresh-datasets').addEventListener('click', () => refreshDatasets());
  showFormat();
}

const chosenFormat = () => $('upload-form').elements.format.value;

/** Shows the fields of the chosen format only (IDX: labels files; CSV: height and width). */
function showFormat() {
  const format = chosenFormat();
  for (const node of document.querySelectorAll('#upload-form [data-format]')) node.hidden = node.dataset.format !== format;
  for (const input of [$('upload-file'), $('upload-validation')]) {
    if (Formats[format].accept) input.accept = Formats[format].accept;
    else input.removeAttribute('accept');
  }
  $('format-note').textContent = Formats[format].note;
}

/** The form as POST /datasets takes it: the fields that are filled in, then the files. */
function formBody() {
  const f = $('upload-form').elements;
  const format = chosenFormat();
  const body = new FormData();
  const fields = ['name', 'validationFraction', 'channels', ...(format === 'csv' ? ['height', 'width'] : [])];
  for (const name of fields) {
    const value = f[name].value.trim();
    if (value) body.append(name, value);
  }
  const files = ['file', 'validation', ...(format === 'idx' ? ['labels', 'validationLabels'] : [])];
  for (const name of files) {
    const file = f[name].files[0];
    if (file) body.append(name, file, file.name);
  }
  return body;
}

async function send() {
  if (uploading) return;
  const f = $('upload-form').elements;
  clearErrors();
  const file = f.file.files[0];
  if (!file) {
    showFieldErrors({ file: ['Choose the file to upload.'] }, 'Nothing to upload yet:');
    f.file.focus();
    return;
  }
  const bar = $('upload-bar');
  const text = $('upload-progress-text');
  $('upload-progress').hidden = false;
  bar.value = 0;
  text.textContent = `Sending ${file.name}…`;
  $('upload-button').disabled = true;
  $('upload-cancel').hidden = false;
  uploading = new AbortController();
  try {
    const { data, status } = await upload('/datasets', formBody(), {
      signal: uploading.signal,
      onProgress: (sent, total) => {
        if (total > 0) bar.value = sent / total;
        text.textContent = total > 0
          ? `Sent ${bytesText(sent)} of ${bytesText(total)} (${Math.floor((100 * sent) / total)} %)`
          : `Sent ${bytesText(sent)}`;
      },
      onSent: () => {
        bar.removeAttribute('value'); // indeterminate while the service reads the images
        text.textContent = 'Sent. The service is checking the images and storing them…';
        text.classList.add('busy');
      },
    });
    bar.value = 1;
    text.textContent = status === 201
      ? `Stored “${data.name}”: ${data.trainCount + data.validationCount} images in ${data.classes.length} classes.`
      : `This upload was stored before (same file and settings): “${data.name}”.`;
    toast(text.textContent);
    for (const name of ['file', 'labels', 'validation', 'validationLabels']) f[name].value = '';
    f.name.value = '';
    justStored = data.id;
    await refreshDatasets();
    hooks.datasetsChanged();
  } catch (e) {
    $('upload-progress').hidden = true;
    if (e.name === 'AbortError') toast('Upload cancelled.');
    else showProblem(e);
  } finally {
    uploading = null;
    text.classList.remove('busy');
    $('upload-button').disabled = false;
    $('upload-cancel').hidden = true;
  }
}

function clearErrors() {
  $('upload-errors').replaceChildren();
  for (const node of document.querySelectorAll('#upload-form [aria-invalid]')) node.removeAttribute('aria-invalid');
}

/** The service's words for a refused upload: each field's messages, or the problem's title and detail. */
function showProblem(error) {
  if (!(error instanceof ApiError)) {
    $('upload-errors').replaceChildren(el('p', {}, error.message));
    return;
  }
  if (error.status === 401) {
    $('upload-errors').replaceChildren(el('p', {}, 'This service needs its API key to store datasets: set it with “API key” at the top.'));
    return;
  }
  if (Object.keys(error.fieldErrors).length) {
    showFieldErrors(error.fieldErrors, 'The service refused the upload:');
    return;
  }
  const title = error.problem?.title;
  const detail = error.problem?.detail;
  const words = error.status === 413 && !detail
    ? 'The upload is larger than this service accepts.'
    : title && detail ? `${title}: ${detail}` : error.message;
  $('upload-errors').replaceChildren(el('p', {}, words));
}

function showFieldErrors(errors, summary) {
  const f = $('upload-form').elements;
  const items = [];
  for (const [field, messages] of Object.entries(errors)) {
    f[field]?.setAttribute?.('aria-invalid', 'true');
    items.push(el('li', { dataset: { field } }, el('strong', {}, `${FieldNames[field] ?? field}: `), messages.join(' ')));
  }
  $('upload-errors').replaceChildren(el('p', {}, summary), el('ul', {}, items));
}

/** Lists the uploaded datasets, newest first. */
export async function refreshDatasets() {
  const box = $('dataset-list');
  let list;
  try {
    list = await loadDatasets();
  } catch (e) {
    box.replaceChildren(el('div', { class: 'empty' }, `The datasets could not be listed: ${e.message}`));
    return;
  }
  if (list.length === 0) {
    box.replaceChildren(el('div', { class: 'empty' }, 'No dataset yet: upload one.'));
    return;
  }
  box.replaceChildren(...list.map(card));
  if (justStored) {
    [...box.children].find((node) => node.dataset.dataset === justStored)?.scrollIntoView({ block: 'nearest' });
    justStored = null;
  }
}

/** One dataset: what it holds, its classes with a few images of each, and what to do with it. */
function card(d) {
  const titleId = `dataset-title-${d.id}`;
  const thumbnails = new Map();
  for (const t of d.thumbnails) thumbnails.set(t.label, [...(thumbnails.get(t.label) ?? []), t.png]);
  const problem = el('p', { class: 'problem', role: 'alert' });
  const facts = [
    ['Id', el('code', { class: 'id' }, d.id)],
    ['Format', d.format],
    ['Images', `${d.width}×${d.height} pixels, ${d.channels === 1 ? 'grayscale' : 'RGB'}: ${shapeText([d.channels, d.height, d.width])} values (channels × height × width)`],
    ['Split', `${d.trainCount.toLocaleString()} training · ${d.validationCount.toLocaleString()} validation`],
    ['Size', `${bytesText(d.uploadBytes)} uploaded · ${bytesText(d.storedBytes)} stored`],
    ['Created', formatDate(d.createdAt)],
    ['Certified radius', d.radiusUnits],
  ];
  return el('article', { class: 'dataset', 'aria-labelledby': titleId, dataset: { dataset: d.id } },
    el('div', { class: 'card-head' },
      el('h3', { id: titleId }, d.name),
      el('span', { class: 'badge' }, `${d.classes.length} classes`)),
    el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('div', { class: 'table-wrap' },
      el('table', { class: 'list class-table' },
        el('caption', { class: 'visually-hidden' }, `Classes of ${d.name}`),
        el('thead', {}, el('tr', {}, ['Label', 'Class', 'Train', 'Validation', 'Examples'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, d.classes.map((c) => el('tr', { dataset: { label: c.label } },
          el('td', {}, c.label),
          el('th', { scope: 'row' }, c.name),
          el('td', {}, c.train.toLocaleString()),
          el('td', {}, c.validation.toLocaleString()),
          el('td', {}, el('div', { class: 'thumbs' }, (thumbnails.get(c.label) ?? []).map((png, i) =>
            el('img', { class: 'thumb', src: png, alt: `${c.name}, example ${i + 1}`, width: d.width, height: d.height }))))))))),
    problem,
    el('div', { class: 'row' },
      el('button', { type: 'button', class: 'primary', 'aria-describedby': titleId, dataset: { action: 'train' }, onclick: () => hooks.trainOn(d.id) }, 'Train on this'),
      el('button', { type: 'button', class: 'danger', 'aria-describedby': titleId, dataset: { action: 'delete' }, onclick: (e) => remove(d, e.currentTarget, problem) }, 'Delete')));
}

/** Deletes a dataset; 409 (a queued or running job trains on it) is said beside its buttons. */
async function remove(d, button, problem) {
  if (!window.confirm(`Delete the dataset “${d.name}”? Models trained on it stay.`)) return;
  button.disabled = true;
  problem.textContent = '';
  try {
    await api(`/datasets/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
    toast(`Dataset “${d.name}” deleted.`);
  } catch (e) {
    if (e.status !== 404) {
      button.disabled = false;
      problem.textContent = e.status === 401 ? 'Deleting needs the API key: set it with “API key” at the top.' : e.message;
      return;
    }
    toast(`Dataset “${d.name}” was deleted already.`);
  }
  await refreshDatasets();
  hooks.datasetsChanged();
}
