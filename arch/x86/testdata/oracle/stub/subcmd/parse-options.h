#pragma once
struct option; 
