namespace Grantex.Browser.Tests.Console;

/// <summary>A separate app instance (own port, own SQLite file, own Chromium) for the console tests.</summary>
public sealed class ConsoleAppFixture : BrowserAppFixture;
