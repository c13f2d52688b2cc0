namespace Grantex.Console.Components.Consent;

/// <summary>The consent form: which button was pressed and, when presence is required, the passkey assertion.</summary>
public sealed class ConsentDecisionInput
{
    public const string Allow = "allow";
    public const string Deny = "deny";

    public string? Decision { get; set; }

    public string? PasskeyChallengeId { get; set; }

    /// <summary>The assertion as <c>JSON.stringify(credential)</c> made it.</summary>
    public string? PasskeyResponse { get; set; }
}
