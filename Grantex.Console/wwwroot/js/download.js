// Streams a same-origin download with fetch so the page can show progress (bytes so far), then saves it.
export async function downloadWithProgress(url, fallbackName, progress) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
        let message = `The server answered ${response.status}.`;
        try { message = (await response.json()).message ?? message; } catch { }
        return { ok: false, message };
    }
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0, last = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        const now = performance.now();
        if (now - last > 200) { last = now; await progress.invokeMethodAsync("Progress", received); }
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const name = match ? decodeURIComponent(match[1]) : fallbackName;
    const blob = new Blob(chunks, { type: response.headers.get("content-type") ?? "application/octet-stream" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    return { ok: true, bytes: received, name };
}
