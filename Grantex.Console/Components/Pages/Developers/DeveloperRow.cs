using Grantex.Core.Developers;

namespace Grantex.Console.Components.Pages.Developers;

/// <summary>A developer with its API keys (prefixes and lifetimes only; keys are never shown again) and agent count.</summary>
public sealed record DeveloperRow(DeveloperInfo Developer, IReadOnlyList<ApiKey> Keys, int Agents);
