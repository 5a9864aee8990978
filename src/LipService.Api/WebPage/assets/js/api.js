// Calls to the service's own HTTP API (same origin: the page never talks to another host).
const KeyStorage = 'lipservice.apiKey';

export const apiKey = () => localStorage.getItem(KeyStorage) ?? '';

export function setApiKey(key) {
  if (key) localStorage.setItem(KeyStorage, key);
  else localStorage.removeItem(KeyStorage);
}

/** A refused request, with the service's ProblemDetails (title, detail, errors per field) when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || problem?.error || `The service answered HTTP ${status}.`);
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

/** Models and the default alias, for the pickers. */
export async function loadModels() {
  const [models, aliases] = await Promise.all([api('/models?limit=200'), api('/aliases')]);
  return { models: models.data.items, defaultModelId: aliases.data.defaultModelId, defaultSource: aliases.data.defaultModelSource, defaultAlias: aliases.data.defaultAlias };
}
