namespace Grantex.Core.Passkeys;

/// <summary>Wire names of <see cref="PasskeyEnrolment"/> and what each path is worth.</summary>
public static class PasskeyEnrolments
{
    public static string ToWire(PasskeyEnrolment via) => via switch
    {
        PasskeyEnrolment.ConsentPage => "consent_page",
        PasskeyEnrolment.Sso => "sso",
        PasskeyEnrolment.EnrolmentLink => "enrolment_link",
        _ => "developer_api",
    };

    public static PasskeyEnrolment? FromWire(string? value) => value switch
    {
        "developer_api" => PasskeyEnrolment.DeveloperApi,
        "consent_page" => PasskeyEnrolment.ConsentPage,
        "sso" => PasskeyEnrolment.Sso,
        "enrolment_link" => PasskeyEnrolment.EnrolmentLink,
        _ => null,
    };

    /// <summary>True for the paths the developer does not control: only these satisfy <c>principalAuthentication: passkey</c>.</summary>
    public static bool IsIndependent(PasskeyEnrolment via) => via is PasskeyEnrolment.Sso or PasskeyEnrolment.EnrolmentLink;

    /// <summary>How the console names the path.</summary>
    public static string Describe(PasskeyEnrolment via) => via switch
    {
        PasskeyEnrolment.ConsentPage => "First use on a consent page (not verified)",
        PasskeyEnrolment.Sso => "After an SSO sign-in",
        PasskeyEnrolment.EnrolmentLink => "Enrolment link",
        _ => "Developer API",
    };
}
