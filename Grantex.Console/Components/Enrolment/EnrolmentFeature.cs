namespace Grantex.Console.Components.Enrolment;

/// <summary>
/// The person's passkey enrolment page (<c>/enrol</c>), opened from an administrator's one-time link: static
/// server-rendered like the consent page, with a small script for the WebAuthn ceremony.
/// </summary>
public static class EnrolmentFeature
{
    public const string Path = "/enrol";

    public static WebApplication UseEnrolmentFeature(this WebApplication app)
    {
        app.UseMiddleware<EnrolmentPageHeaders>();
        return app;
    }

    public static IEndpointRouteBuilder MapEnrolmentFeature(this IEndpointRouteBuilder app) => app.MapEnrolmentEndpoints();
}
