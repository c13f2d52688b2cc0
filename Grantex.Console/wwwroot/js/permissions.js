// The "My grants" page (/permissions). Two small jobs, nothing else:
// 1. A session link carries its token in the URL fragment (#session=…), which browsers never send to a server.
//    Take it, remove it from the address bar and history at once, and post it (with the antiforgery token) so the
//    server can keep the session in an HttpOnly cookie.
// 2. Show times in the person's own time zone (the server renders UTC as the fallback).
const form = document.getElementById('permissions-session-form');
const match = /(?:^|[#&])session=([^&]+)/.exec(window.location.hash);
if (match) {
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (form) {
    document.getElementById('permissions-session-token').value = decodeURIComponent(match[1]);
    const opening = document.getElementById('permissions-opening');
    const signedOut = document.getElementById('permissions-signed-out');
    if (opening) { opening.hidden = false; }
    if (signedOut) { signedOut.hidden = true; }
    form.submit();
  }
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
for (const el of document.querySelectorAll('time[data-local]')) {
  const when = new Date(el.getAttribute('datetime'));
  if (Number.isNaN(when.getTime())) { continue; }
  const options = el.dataset.local === 'time'
    ? { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }
    : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  el.title = el.textContent;
  el.textContent = when.toLocaleString(undefined, options) + (zone ? '' : ' (UTC)');
}
