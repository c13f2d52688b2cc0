using Grantex.Console.Cli;
using Grantex.Console.Infrastructure;
using Grantex.Console.Infrastructure.Operations;
using Grantex.Core;

var cli = CliRunner.IsCommand(args);
var builder = WebApplication.CreateBuilder(cli ? [] : args);
builder.AddRootSettings();
if (cli)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}

// Serve package assets (_content/MudBlazor/…) from the build output in every environment, not only Development;
// a published app has them in wwwroot and this is a no-op.
builder.WebHost.UseStaticWebAssets();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ApiResponseMiddleware.MaxBodyBytes);
builder.Services.AddGrantexCore(builder.Configuration);
builder.Services.AddGrantexApi(builder.Configuration);
builder.Services.AddGrantexUi();
builder.Services.AddGrantexConsole(builder.Configuration);
builder.AddGrantexOperations();

var app = builder.Build();
if (cli)
{
    return await CliRunner.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await app.Services.InitializeGrantexAsync();
app.UseGrantexForwardedHeaders();
app.UseGrantexConsole();
app.UseGrantexApi();
app.MapGrantexApi();
app.MapGrantexOperations();
app.MapGrantexConsole();
app.MapGrantexUi();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
