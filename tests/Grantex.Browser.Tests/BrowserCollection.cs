namespace Grantex.Browser.Tests;

/// <summary>All browser tests share one app and one Chromium, and run one after another (2 cores: parallel is slower).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "browser";
}
