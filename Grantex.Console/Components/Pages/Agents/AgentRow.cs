using Grantex.Core.Agents;

namespace Grantex.Console.Components.Pages.Agents;

/// <summary>An agent with the name of its developer.</summary>
public sealed record AgentRow(Agent Agent, string DeveloperName);
