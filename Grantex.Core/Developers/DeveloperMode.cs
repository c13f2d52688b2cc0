namespace Grantex.Core.Developers;

public enum DeveloperMode
{
    Live,
    Sandbox,
}
