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
};
