// Calls to the service's own HTTP API (same origin: the page never talks to another host).
const KeyStorage = 'lipservice.apiKey';

export const apiKey = () => localStorage.getItem(KeyStorage) ?? '';

export function setApiKey(key) {
  if (key) localStorage.setItem(KeyStorage, key);
  else localStorage.removeItem(KeyStorage);
}

/**
 * A refused request, with the service's ProblemDetails (title, detail, errors per field) when it sent
 * one. Its message is the service's own words: the detail, else a validation problem's field messages
 * (its title only says that there are some).
 */
export class ApiError extends Error {
  constructor(status, problem) {
    const fieldMessages = Object.values(problem?.errors ?? {}).flat();
    super(problem?.detail || fieldMessages.join(' ') || problem?.title || problem?.error || `The service answered HTTP ${status}.`);
    this.status = status;
    this.problem = problem;
  }

  /** Field name → messages, for a validation problem. */
  get fieldErrors() {
    return this.problem?.errors ?? {};
  }
}

/** fetch with the API key (when one is kept), JSON in and out; throws ApiError on a non-2xx answer. */
export async function api(path, { method = 'GET', json, body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) headers['X-Api-Key'] = key;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const response = await fetch(path, { method, headers, body, signal });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, headers: response.headers };
}

/**
 * POSTs a multipart form with XMLHttpRequest, whose upload.onprogress reports the bytes sent (fetch
 * cannot). onProgress(sent, total) runs while the body goes out, onSent() once it is all out and the
 * service is checking it. Resolves with { data, status }; rejects with ApiError for a non-2xx answer,
 * a plain Error when the connection fails, and an AbortError when signal aborts.
 */
export function upload(path, form, { onProgress, onSent, signal } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    const key = apiKey();
    if (key) xhr.setRequestHeader('X-Api-Key', key);
    xhr.upload.addEventListener('progress', (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0));
    xhr.upload.addEventListener('load', () => onSent?.());
    xhr.addEventListener('load', () => {
      let data = null;
      if (xhr.responseText) {
        try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ data, status: xhr.status });
      else reject(new ApiError(xhr.status, data));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload failed: the connection to the service broke (a file past the size limit can end it early).')));
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** Uploaded datasets, newest first. */
export async function loadDatasets() {
  return (await api('/datasets?limit=500')).data.items;
}

/**
 * A model with its dataset's input shape and class names folded into its spec, where the page's
 * helpers look for them (the API keeps them beside the spec, so that a spec can be sent back as it is).
 */
export const withDataShape = (model) => ({ ...model, spec: { ...model.spec, input: model.input, classNames: model.classNames } });

/** Models and the default alias, for the pickers. */
export async function loadModels() {
  const [models, aliases] = await Promise.all([api('/models?limit=200'), api('/aliases')]);
  return { models: models.data.items.map(withDataShape), defaultModelId: aliases.data.defaultModelId, defaultSource: aliases.data.defaultModelSource, defaultAlias: aliases.data.defaultAlias };
}
