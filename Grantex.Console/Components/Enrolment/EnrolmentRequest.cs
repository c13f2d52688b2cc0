using System.Text.Json;

namespace Grantex.Console.Components.Enrolment;

/// <summary>What the enrolment page posts: the link's secret and, to complete, the ceremony it answers and the credential.</summary>
public sealed record EnrolmentRequest(string? Token, string? ChallengeId = null, JsonElement? Response = null);
