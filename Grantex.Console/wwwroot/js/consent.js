// The consent page's only script. It keeps a double click from sending the form twice and, when the developer
// requires presence, runs the passkey ceremony before Allow is sent: when the person has no passkey that counts, one
// is registered first (where the server allows it), then an assertion is made for this very request and travels with
// the form, where the server verifies it (one use, this request, this browser's consent session). When the passkey
// identifies the person (principalAuthentication passkey, data-answer="passkey"), Deny runs the same ceremony.
// Without this script Deny still works elsewhere; Allow then explains that it needs it.
const form = document.getElementById('consent-form');

if (form) {
  const requestId = form.dataset.request;
  const status = document.getElementById('consent-status');
  const buttons = form.querySelectorAll('button[type="submit"]');
  let sending = false;

  const say = (text, isError = false) => {
    if (!status) return;
    status.textContent = text;
    status.setAttribute('role', isError ? 'alert' : 'status');
  };

  const busy = (on) => buttons.forEach((b) => b.setAttribute('aria-disabled', on ? 'true' : 'false'));

  const antiforgeryToken = () => form.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

  async function post(path, body) {
    const response = await fetch(`/v1/consent/${encodeURIComponent(requestId)}${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', RequestVerificationToken: antiforgeryToken() },
      body: JSON.stringify(body ?? {}),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(json.message || `The server refused the passkey step (${response.status}).`);
    }
    return json;
  }

  async function provePresence() {
    if (!window.PublicKeyCredential || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function') {
      throw new Error('This browser cannot use passkeys. Use an up-to-date browser to allow this request.');
    }

    let step = await post('/passkey');
    if (step.mode === 'register') {
      say('Create a passkey for this account when your device asks.');
      const created = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(step.publicKey) });
      step = await post('/passkey/register', { challengeId: step.challengeId, response: created.toJSON() });
    }

    say('Confirm with your passkey when your device asks.');
    const asserted = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(step.publicKey) });
    return { challengeId: step.challengeId, response: JSON.stringify(asserted.toJSON()) };
  }

  form.addEventListener('submit', async (event) => {
    if (sending) {
      event.preventDefault();
      return;
    }

    const allow = event.submitter?.value === 'allow';
    const needsPasskey = form.dataset.presence === 'required' && (allow || form.dataset.answer === 'passkey');
    sending = true;
    busy(true);
    if (!needsPasskey) {
      say(allow ? 'Allowing…' : 'Denying…');
      return; // the browser sends the form as it is
    }

    event.preventDefault();
    try {
      const proof = await provePresence();
      document.getElementById('consent-passkey-challenge').value = proof.challengeId;
      document.getElementById('consent-passkey-response').value = proof.response;
      const decision = document.getElementById('consent-decision');
      decision.value = allow ? 'allow' : 'deny';
      decision.disabled = false;
      say(allow ? 'Allowing…' : 'Denying…');
      form.submit();
    } catch (error) {
      sending = false;
      busy(false);
      const cancelled = error && error.name === 'NotAllowedError';
      const again = allow ? 'Allow' : 'Deny';
      say(cancelled ? `The passkey prompt was closed or timed out. Select ${again} to try again.` : `${error.message} Select ${again} to try again.`, true);
    }
  });

  // Coming back to the page (browser history) starts over.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      sending = false;
      busy(false);
      say('');
    }
  });
}

// Times in the person's own time zone. The server renders them in UTC (what a page without script shows); here each
// <time data-local> is rewritten from its machine-readable datetime, with the zone named so nobody has to guess.
const localDate = new Intl.DateTimeFormat(undefined, {
  weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});
const localTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
document.querySelectorAll('time[data-local]').forEach((element) => {
  const when = new Date(element.getAttribute('datetime'));
  if (!Number.isNaN(when.getTime())) {
    element.textContent = (element.dataset.local === 'time' ? localTime : localDate).format(when);
  }
});

// A live countdown to the request's expiry; once it passes, the buttons go quiet and the page says what to do.
const expiry = document.getElementById('consent-expiry');
const countdown = document.getElementById('consent-countdown');
if (expiry && countdown) {
  const expiresAt = new Date(expiry.dataset.expires).getTime();
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const words = (ms) => {
    const total = Math.floor(ms / 1000);
    const parts = [[Math.floor(total / 86400), 'day'], [Math.floor(total / 3600) % 24, 'hour'], [Math.floor(total / 60) % 60, 'minute'], [total % 60, 'second']];
    const first = parts.findIndex(([n]) => n !== 0);
    if (first < 0) return 'less than a second';
    const next = parts[first + 1];
    return next && next[0] !== 0 ? `${plural(...parts[first])} and ${plural(...next)}` : plural(...parts[first]);
  };
  const tick = () => {
    const left = expiresAt - Date.now();
    if (left > 0) {
      countdown.textContent = words(left);
      return true;
    }
    expiry.textContent = 'This request has expired. Ask the app to start again.';
    expiry.setAttribute('role', 'alert');
    document.querySelectorAll('#consent-form button[type="submit"]').forEach((b) => { b.disabled = true; });
    return false;
  };
  if (tick()) {
    const timer = setInterval(() => { if (!tick()) clearInterval(timer); }, 1000);
  }
}
