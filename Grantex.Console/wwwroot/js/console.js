// Small browser helpers for the interactive console.
window.gxConsole = {
  // Copies text; falls back to a hidden textarea where the Clipboard API is unavailable (plain http off localhost).
  copy: async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  },
  // Focuses the first button inside host (a dialog's Cancel) and keeps it there while the dialog opens: MudBlazor's
  // focus trap puts focus on its own sentinel element when it initialises, a moment after the dialog renders. Only
  // focus landing on that sentinel is moved back, never focus the person moved to a control.
  focusFirstButton: (host, settleMs) => {
    const button = host && host.querySelector("button");
    if (!button) {
      return;
    }
    button.focus();
    const onFocus = (event) => {
      const target = event.target;
      if (target !== button && target.closest && target.closest(".mud-focus-trap") && !target.matches("button, a, input, select, textarea, [role=button], [role=radio]")) {
        button.focus();
      }
    };
    document.addEventListener("focusin", onFocus, true);
    setTimeout(() => document.removeEventListener("focusin", onFocus, true), settleMs || 1500);
  },
};
