namespace Grantex.Console.Components.Pages.Principals;

/// <summary>An enrolment link just issued: the URL to hand to the person (shown once) and when it stops working.</summary>
public sealed record IssuedLink(string Url, DateTime ExpiresAt);
