namespace Grains.Interfaces.Signaling.Queues;

/// <summary>A signal queue refused a batch because it already holds its maximum (its consumer is not keeping up).</summary>
[GenerateSerializer]
public sealed class SignalQueueFullException : Exception
{
    public SignalQueueFullException() { }

    public SignalQueueFullException(string message) : base(message) { }

    public SignalQueueFullException(string message, Exception inner) : base(message, inner) { }
}
