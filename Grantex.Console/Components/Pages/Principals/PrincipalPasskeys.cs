using Grantex.Core.Passkeys;

namespace Grantex.Console.Components.Pages.Principals;

/// <summary>What the principal detail shows about passkeys: each passkey with its enrolment path, and recent enrolment links.</summary>
public sealed record PrincipalPasskeys(IReadOnlyList<PrincipalPasskey> Passkeys, IReadOnlyList<PasskeyEnrolmentLink> Links, DateTime Now);
