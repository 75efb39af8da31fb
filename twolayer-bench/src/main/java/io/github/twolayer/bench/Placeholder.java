package io.github.twolayer.bench; final class Placeholder {}
