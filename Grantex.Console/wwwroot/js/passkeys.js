// Passkey ceremonies for the console's sign-in pages (static server-rendered forms).
// A button with data-gx-passkey="get" or "create" and data-options-url starts the ceremony: it fetches the WebAuthn
// options from the server (with the form's antiforgery token and the fields named in data-include), lets the browser
// make or use the passkey, puts the browser's answer into the form's [data-gx-passkey-credential] field and submits the
// form; the server verifies everything (ASP.NET Core Identity). Event delegation keeps it working across page changes.
(() => {
  "use strict";

  const messageFor = (error) => {
    if (error && error.name === "NotAllowedError") {
      return "The passkey prompt was closed or timed out. Try again.";
    }
    if (error && error.name === "InvalidStateError") {
      return "This authenticator already holds a passkey for this account.";
    }
    return (error && error.message) || "The passkey could not be used.";
  };

  async function run(button) {
    const form = button.closest("form");
    const status = form.querySelector("[data-gx-passkey-status]");
    const show = (text) => { if (status) { status.textContent = text; } };
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
      show("This browser cannot use passkeys here. Use your password instead.");
      return;
    }

    const body = new FormData();
    const token = form.querySelector("input[name='__RequestVerificationToken']");
    if (token) {
      body.append("__RequestVerificationToken", token.value);
    }
    for (const name of (button.dataset.include || "").split(",").filter(Boolean)) {
      const [field, as] = name.split(":");
      const input = form.querySelector(`[name='${field}']`);
      body.append(as || field, input ? input.value : "");
    }

    button.disabled = true;
    show("Waiting for your passkey…");
    try {
      const response = await fetch(button.dataset.optionsUrl, { method: "POST", body, credentials: "same-origin" });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(text || "The server could not start the passkey ceremony.");
      }
      const options = JSON.parse(text);
      const credential = button.dataset.gxPasskey === "create"
        ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
        : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      form.querySelector("[data-gx-passkey-credential]").value = JSON.stringify(credential);
      show("Checking…");
      form.submit();
    } catch (error) {
      show(messageFor(error));
      button.disabled = false;
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-gx-passkey]");
    if (button) {
      event.preventDefault();
      run(button);
    }
  });
})();
