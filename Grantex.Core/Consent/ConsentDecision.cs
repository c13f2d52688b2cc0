namespace Grantex.Core.Consent;

/// <summary>The outcome of approve or deny: where the browser goes next and with what.</summary>
public sealed record ConsentDecision(AuthRequest Request, bool Approved, string? Code)
{
    /// <summary>The registered redirect URI with <c>code</c>/<c>state</c> or <c>error=access_denied</c>/<c>state</c>, or null.</summary>
    public string? RedirectLocation => Request.RedirectUri is null ? null : BuildRedirect(Request.RedirectUri);

    private string BuildRedirect(string uri)
    {
        var parts = new List<string>();
        parts.Add(Approved ? "code=" + Uri.EscapeDataString(Code!) : "error=access_denied");
        if (Request.State is not null)
        {
            parts.Add("state=" + Uri.EscapeDataString(Request.State));
        }

        return uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", parts);
    }
}
