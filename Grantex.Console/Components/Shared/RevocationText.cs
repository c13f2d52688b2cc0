using Grantex.Core.Grants;

namespace Grantex.Console.Components.Shared;

/// <summary>The words of a revocation: the dialog title names the verb, the count and the objects; the snackbar repeats the count.</summary>
public static class RevocationText
{
    public static string Grants(int n) => n == 1 ? "1 grant" : $"{n} grants";

    public static string Developers(int n) => n == 1 ? "1 developer" : $"{n} developers";

    /// <summary>"Acme Travel (2 grants) and Beta (1 grant)".</summary>
    public static string Across(IReadOnlyList<(string Name, int Grants)> developers)
    {
        var parts = developers.Select(d => $"{d.Name} ({Grants(d.Grants)})").ToList();
        return parts.Count == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1];
    }

    public static string Title(RevocationPreview preview, string? subjectName = null, IReadOnlyList<(string Name, int Grants)>? developers = null)
    {
        if (developers is not null)
        {
            return $"Revoke {Grants(preview.Grants.Count)} of principal {preview.Target.Value} across {Developers(developers.Count)}";
        }

        var roots = preview.Roots.Count;
        var delegated = preview.Grants.Count - roots;
        var tail = delegated == 0 ? "" : $" and {delegated} delegated grant{(delegated == 1 ? "" : "s")}";
        return preview.Target.Scope switch
        {
            RevocationScope.Grant => $"Revoke grant {preview.Target.Value}{tail}",
            RevocationScope.Agent => $"Revoke {Grants(roots)} of agent {subjectName ?? preview.Target.Value}{tail}",
            _ => $"Revoke {Grants(roots)} of principal {preview.Target.Value}{tail}",
        };
    }

    public static string Confirm(RevocationPreview preview) => "Revoke " + Grants(preview.Grants.Count);

    public static string Done(int count, RevocationPreview? preview) =>
        $"Revoked {Grants(count)}" + (preview is not null && preview.Grants.Count != count
            ? $" ({Grants(preview.Grants.Count)} were shown; the tree changed in the meantime)"
            : preview?.Target.Scope == RevocationScope.Grant ? $": {preview.Target.Value}" + (count > 1 ? $" and {count - 1} delegated" : "") : "");
}
