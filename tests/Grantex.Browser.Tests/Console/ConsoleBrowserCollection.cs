namespace Grantex.Browser.Tests.Console;

/// <summary>
/// The console tests start from a fresh database (first-administrator setup, exact counts), so they get an app and
/// SQLite file of their own, separate from the consent tests'.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleBrowserCollection : ICollectionFixture<ConsoleAppFixture>
{
    public const string Name = "console-browser";
}
