using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Grantex.Console.Components.Account;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grantex.Api.Tests.Console;

/// <summary>
/// The console's pages never read through the request's scoped <see cref="GrantexDbContext"/> (the one Identity's
/// stores use). A prerender's components render concurrently (a list's names were read once per parent render, two
/// reads at once on that one context), and the scope ends with the response: on PostgreSQL a second read started
/// while the first was still opening its connection failed the page ("A second operation was started on this context
/// instance") and the scope's end then met the first read's connection mid-open ("Can't close, connection is in state
/// Connecting"). Here every open of the request's own context during a console page is held open until the test has
/// the response — the slowest an open can be — so any reader of that context shows, every time.
/// </summary>
public sealed class ConsoleRequestScopeTests : IAsyncLifetime
{
    private const string Password = "a long enough password";
    private readonly RequestScopeOpens _opens = new();
    private readonly GrantexApp _app;

    public ConsoleRequestScopeTests()
    {
        _app = GrantexApp.With(new GrantexAppOptions
        {
            Services = services =>
            {
                services.AddHttpContextAccessor();
                services.ConfigureDbContext<GrantexDbContext>((sp, options) => options.AddInterceptors(_opens.For(sp.GetRequiredService<IHttpContextAccessor>())));
                services.AddSingleton<ILoggerProvider>(_opens);
            },
        });
    }

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync()
    {
        _opens.Release();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task the_overview_names_its_operators_without_the_requests_context_even_when_an_open_is_slower_than_the_response()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var (user, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync("ada", "Ada Lovelace", Password, ConsoleRoles.Administrator);
            Assert.True(user is not null, error);
        }

        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleForms.SignInWithPasswordAsync(client, "ada", Password)).StatusCode);
        _opens.Arm("/");

        // Bounded only so that a page waiting on a held open fails instead of hanging; a passing run never waits on it.
        var console = await client.GetAsync("/").WaitAsync(Eventually.Deadline);
        var html = await console.Content.ReadAsStringAsync();
        _opens.Release();

        Assert.Empty(_opens.ConcurrentUses);
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Empty(_opens.Held);
        Assert.True(_opens.Opened > 0, "The interceptor saw no open while the page rendered: it is not installed.");
        // The recent activity tells the sign-in with the operator's display name (read, through a context of its own).
        Assert.Contains("Ada Lovelace", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task no_console_screen_reads_through_the_requests_context_while_it_prerenders()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var (user, error) = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>().CreateAsync("ada", null, Password, ConsoleRoles.Administrator);
            Assert.True(user is not null, error);
        }

        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await ConsoleForms.SignInWithPasswordAsync(client, "ada", Password)).StatusCode);

        string[] screens = ["/agents", "/anomalies", "/audit", "/compliance", "/developers", "/grants", "/keys", "/policies", "/principals", "/users", "/webhooks"];
        var statuses = new Dictionary<string, HttpStatusCode>();
        foreach (var screen in screens)
        {
            _opens.Arm(screen);
            statuses[screen] = (await client.GetAsync(screen).WaitAsync(Eventually.Deadline)).StatusCode;
        }

        _opens.Release();
        Assert.Empty(_opens.ConcurrentUses);
        Assert.Empty(_opens.Held);
        Assert.All(screens, screen => Assert.Equal(HttpStatusCode.OK, statuses[screen]));
    }

    /// <summary>
    /// Holds every connection open of the request's scoped context while a request for the armed path runs, until
    /// <see cref="Release"/> or until EF Core reports a second operation on one context (the race, made certain).
    /// Also a logger provider, to see that report.
    /// </summary>
    private sealed class RequestScopeOpens : ILoggerProvider
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _concurrentUse = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile string? _path;
        private int _opened;

        public ConcurrentQueue<string> Held { get; } = new();

        public ConcurrentQueue<string> ConcurrentUses { get; } = new();

        /// <summary>Opens of any context while the armed request ran (the page's own reads, through the factory).</summary>
        public int Opened => Volatile.Read(ref _opened);

        public void Arm(string path) => _path = path;

        public void Release() => _released.TrySetResult();

        public IInterceptor For(IHttpContextAccessor accessor) => new Interceptor(this, accessor);

        public ILogger CreateLogger(string categoryName) => new ConcurrentUseLogger(this);

        public void Dispose()
        {
        }

        private async ValueTask HoldIfRequestScopedAsync(IHttpContextAccessor accessor, ConnectionEventData eventData)
        {
            var request = accessor.HttpContext;
            if (_path is null || request is null || request.Request.Path != _path)
            {
                return;
            }

            Interlocked.Increment(ref _opened);
            if (!ReferenceEquals(eventData.Context, request.RequestServices.GetService<GrantexDbContext>()))
            {
                return;
            }

            Held.Enqueue(Environment.StackTrace);
            await Task.WhenAny(_released.Task, _concurrentUse.Task);
        }

        private sealed class Interceptor(RequestScopeOpens owner, IHttpContextAccessor accessor) : DbConnectionInterceptor
        {
            public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
                DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
            {
                await owner.HoldIfRequestScopedAsync(accessor, eventData);
                return result;
            }

            public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
            {
                owner.HoldIfRequestScopedAsync(accessor, eventData).AsTask().GetAwaiter().GetResult();
                return result;
            }
        }

        private sealed class ConcurrentUseLogger(RequestScopeOpens owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (exception is InvalidOperationException { Message: var message } && message.StartsWith("A second operation was started on this context", StringComparison.Ordinal))
                {
                    owner.ConcurrentUses.Enqueue(message);
                    owner._concurrentUse.TrySetResult();
                }
            }
        }
    }
}
