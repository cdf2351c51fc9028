using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Grains.Interfaces.Signaling.Queues;

/// <summary>
/// One producer call's events on one stream, as a signal queue holds and hands them out. The queue grain stamps
/// the sequence number when it accepts the batch, so tokens grow in queue order.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SignalQueueBatch : IBatchContainer
{
    public SignalQueueBatch(StreamId streamId, IReadOnlyList<object> events, Dictionary<string, object>? requestContextValues, long sequenceNumber = 0)
    {
        StreamId = streamId;
        Events = events;
        RequestContextValues = requestContextValues;
        SequenceNumber = sequenceNumber;
    }

    [Id(0)] public StreamId StreamId { get; }

    [Id(1)] public IReadOnlyList<object> Events { get; }

    /// <summary>The producer's request context, restored around delivery (<see cref="ImportRequestContext"/>).</summary>
    [Id(2)] public Dictionary<string, object>? RequestContextValues { get; }

    [Id(3)] public long SequenceNumber { get; }

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(SequenceNumber);

    public SignalQueueBatch WithSequenceNumber(long sequenceNumber) => new(StreamId, Events, RequestContextValues, sequenceNumber);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (int i = 0; i < Events.Count; i++)
        {
            if (Events[i] is T typed)
                yield return Tuple.Create<T, StreamSequenceToken>(typed, new EventSequenceTokenV2(SequenceNumber, i));
        }
    }

    public bool ImportRequestContext()
    {
        if (RequestContextValues is null)
            return false;
        foreach (var (key, value) in RequestContextValues)
            RequestContext.Set(key, value);
        return true;
    }
}
