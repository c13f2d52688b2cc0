// The passkey enrolment page (/enrol). The administrator's link carries its secret in the URL fragment (#t=…), which
// browsers never send to a server: take it, drop it from the address bar and history at once, ask the server whose
// link it is, then on "Create passkey" run navigator.credentials.create with options bound to the link and post the
// result. The server stores the passkey as enrolled through the link and uses the link up.
const root = document.getElementById('enrol');
const match = /(?:^|[#&])t=([^&]+)/.exec(window.location.hash);
const token = match ? decodeURIComponent(match[1]) : '';
if (match) {
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

const $ = (id) => document.getElementById(id);
const status = $('enrol-status');
const button = $('enrol-start');

const say = (text, isError = false) => {
  status.textContent = text;
  status.setAttribute('role', isError ? 'alert' : 'status');
};

const show = (state) => { root.dataset.enrol = state; };

async function post(path, body) {
  const response = await fetch(`/enrol/${path}`, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token, ...body }),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(json.message || `The server refused the enrolment (${response.status}).`);
  }
  return json;
}

async function check() {
  $('enrol-loading').hidden = true;
  if (!token) {
    show('invalid');
    say('This page needs the whole enrolment link your administrator sent. Open that link again.', true);
    return;
  }

  try {
    const link = await post('check', {});
    $('enrol-principal').textContent = link.principalId;
    $('enrol-developer').textContent = link.developerName;
    const expires = new Date(link.expiresAt);
    $('enrol-expires').dateTime = link.expiresAt;
    $('enrol-expires').textContent = expires.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    $('enrol-who').hidden = false;
    button.hidden = false;
    show('ready');
  } catch (error) {
    show('invalid');
    say(error.message, true);
  }
}

button?.addEventListener('click', async () => {
  if (button.getAttribute('aria-disabled') === 'true') return;
  if (!window.PublicKeyCredential || typeof PublicKeyCredential.parseCreationOptionsFromJSON !== 'function') {
    say('This browser cannot use passkeys. Open the link in an up-to-date browser.', true);
    return;
  }

  button.setAttribute('aria-disabled', 'true');
  try {
    const options = await post('options', {});
    say('Create the passkey when your device asks.');
    const created = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey) });
    await post('complete', { challengeId: options.challengeId, response: created.toJSON() });
    button.hidden = true;
    show('done');
    say('Your passkey is set up. You can close this window; next time you are asked, confirm with this passkey.');
  } catch (error) {
    button.setAttribute('aria-disabled', 'false');
    const cancelled = error && error.name === 'NotAllowedError';
    say(cancelled ? 'The passkey prompt was closed or timed out. Select Create passkey to try again.' : error.message, true);
  }
});

// The link opened again in the same tab changes only the fragment: start over with it.
window.addEventListener('hashchange', () => {
  if (/(?:^|[#&])t=/.test(window.location.hash)) window.location.reload();
});

check();
