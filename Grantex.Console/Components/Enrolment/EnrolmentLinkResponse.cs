namespace Grantex.Console.Components.Enrolment;

/// <summary>Whose link it is, in words for the page.</summary>
public sealed record EnrolmentLinkResponse(string PrincipalId, string DeveloperName, DateTime ExpiresAt);
