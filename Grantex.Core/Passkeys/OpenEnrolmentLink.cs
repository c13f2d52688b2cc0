using Grantex.Core.Developers;

namespace Grantex.Core.Passkeys;

/// <summary>A usable enrolment link with the developer it belongs to, as the enrolment page needs it.</summary>
public sealed record OpenEnrolmentLink(PasskeyEnrolmentLink Link, DeveloperInfo Developer);
