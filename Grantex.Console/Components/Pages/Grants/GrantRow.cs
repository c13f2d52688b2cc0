using Grantex.Core.Grants;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>A grant as lists show it, with the names of its agent and developer.</summary>
public sealed record GrantRow(Grant Grant, string AgentName, string DeveloperName);
