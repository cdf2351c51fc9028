namespace MediaPlane.Transport;

/// <summary>
/// One piece of work posted to a receive loop (<see cref="LoopWorkQueue"/>): what to do
/// (<see cref="Operation"/>, the handler's own numbering), to what (<see cref="Subject"/>) and with which
/// number. A struct in a preallocated ring, so posting allocates nothing.
/// </summary>
internal readonly struct LoopWork(ILoopWorkHandler handler, object subject, int operation, long argument = 0)
{
    public ILoopWorkHandler Handler { get; } = handler;

    public object Subject { get; } = subject;

    public int Operation { get; } = operation;

    public long Argument { get; } = argument;
}

/// <summary>Runs work posted to a receive loop, on that loop's thread, between its datagram batches.</summary>
internal interface ILoopWorkHandler
{
    void Run(in LoopWork work, UdpReceiveSocket loop);
}
