namespace Grantex.Core.Persistence;

internal sealed class WriteItem(Func<WriteContext, Task<object?>> work, bool AppendOnly)
{
    private List<Action>? _afterCommit;

    public Func<WriteContext, Task<object?>> Work { get; } = work;

    public bool AppendOnly { get; } = AppendOnly;

    public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object? Result { get; set; }

    public Exception? Failure { get; set; }

    /// <summary>How many times the command started over after losing a race with another node.</summary>
    public int Retries { get; set; }

    public void AddAfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    public void ClearAfterCommit() => _afterCommit?.Clear();

    public void RunAfterCommit()
    {
        if (_afterCommit is null)
        {
            return;
        }

        foreach (var action in _afterCommit)
        {
            action();
        }
    }
}
