namespace Grantex.Console.Components.Pages.Agents;

/// <summary>The services behind the agent list, agent detail and the agent actions (suspend, rotate, delete).</summary>
public static class AgentsFeature
{
    public static IServiceCollection AddAgentsFeature(this IServiceCollection services)
    {
        services.AddScoped<AgentAdmin>();
        services.AddScoped<AgentActions>();
        return services;
    }
}
