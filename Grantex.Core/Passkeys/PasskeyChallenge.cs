namespace Grantex.Core.Passkeys;

/// <summary>A started ceremony: its id (to send back with the result) and the options for the browser, as JSON.</summary>
public sealed record PasskeyChallenge(string CeremonyId, PasskeyCeremonyKind Kind, string OptionsJson);
