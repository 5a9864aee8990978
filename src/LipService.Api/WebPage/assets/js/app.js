// The page's sections and their addresses: #try, #train, #train/<job id>, #datasets, #models, #models/<model id>.
import { apiKey, setApiKey } from './api.js';
import { initTry, refreshTryModels } from './try.js';
import { initTrain, watch, refreshJobs, refreshDatasetChoices, trainOn } from './train.js';
import { initDatasets, refreshDatasets } from './datasets.js';
import { initModels, refreshModels, showModel } from './models.js';
import { toast } from './ui.js';

const sections = ['try', 'train', 'datasets', 'models'];

function route() {
  const [name, id] = (location.hash.slice(1) || 'try').split('/');
  const section = sections.includes(name) ? name : 'try';
  for (const s of sections) document.getElementById(`section-${s}`).hidden = s !== section;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `LipService — ${{ try: 'try it', train: 'train', datasets: 'datasets', models: 'models' }[section]}`;
  if (section === 'try') {
    const chosen = sessionStorage.getItem('lipservice.tryModel');
    sessionStorage.removeItem('lipservice.tryModel');
    refreshTryModels(chosen ?? undefined);
  }
  if (section === 'train') {
    // The jobs list names uploaded datasets: read them first.
    refreshDatasetChoices().then(() => refreshJobs());
    if (id) watch(decodeURIComponent(id));
  }
  if (section === 'datasets') refreshDatasets();
  if (section === 'models') refreshModels().then(() => id && showModel(decodeURIComponent(id)));
}

function initKeyDialog() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  const button = document.getElementById('key-button');
  const label = () => { button.textContent = apiKey() ? 'API key ✓' : 'API key'; };
  button.addEventListener('click', () => {
    input.value = apiKey();
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'save') { setApiKey(input.value.trim()); toast('API key kept in this browser.'); }
    if (dialog.returnValue === 'clear') { setApiKey(''); toast('API key forgotten.'); }
    label();
  });
  label();
}

initKeyDialog();
initTry();
initModels({ defaultChanged: () => refreshTryModels() });
initDatasets({ datasetsChanged: () => refreshDatasetChoices(), trainOn });
initTrain({ modelsChanged: () => { refreshTryModels(); refreshModels(); } }).then(route);
window.addEventListener('hashchange', route);
